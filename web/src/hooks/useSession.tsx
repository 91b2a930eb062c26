import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, call } from '../api/client';
import type { paths } from '../api/schema';

export type Me = paths['/api/v1/auth/me']['get']['responses'][200]['content']['application/json'];

interface Session {
  /** null: not logged in; undefined: still asking the server. */
  me: Me | null | undefined;
  /** Slug of the organization the lists are limited to, or null for all of the user's. */
  organization: string | null;
  setOrganization(slug: string | null): void;
  refresh(): Promise<void>;
  logout(): Promise<void>;
  /** Whether the user may change things in the selected organization (admin there, or superuser). */
  canWrite: boolean;
}

const SessionContext = createContext<Session | null>(null);
const ORGANIZATION_KEY = 'fleetflash.organization';

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [organization, setOrganizationState] = useState<string | null>(() => localStorage.getItem(ORGANIZATION_KEY));
  const refresh = useCallback(async () => {
    try {
      setMe(await call(api.GET('/api/v1/auth/me')));
    } catch {
      setMe(null);
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const setOrganization = useCallback((slug: string | null) => {
    if (slug) localStorage.setItem(ORGANIZATION_KEY, slug);
    else localStorage.removeItem(ORGANIZATION_KEY);
    setOrganizationState(slug);
  }, []);
  const logout = useCallback(async () => {
    await call(api.POST('/api/v1/auth/logout')).catch(() => undefined);
    setMe(null);
  }, []);
  const value = useMemo<Session>(() => {
    // A stored organization the user no longer belongs to is ignored; superusers may pick any.
    const valid =
      me &&
      organization &&
      (me.is_superuser || me.memberships.some((membership) => membership.organization_slug === organization))
        ? organization
        : null;
    const roles = me
      ? me.memberships
          .filter((membership) => valid === null || membership.organization_slug === valid)
          .map((membership) => membership.role)
      : [];
    return {
      me,
      organization: valid,
      setOrganization,
      refresh,
      logout,
      canWrite: Boolean(me?.is_superuser) || roles.includes('admin'),
    };
  }, [me, organization, setOrganization, refresh, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The `organization` query parameter of list calls: the selected organization, if any. */
export function useOrganizationFilter(): { organization?: string } {
  const { organization } = useSession();
  return organization ? { organization } : {};
}

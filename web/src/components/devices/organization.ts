import { useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import { useSession } from '../../hooks/useSession';

export interface OrganizationInfo {
  id: string;
  name: string;
  slug: string;
}

/**
 * Name and slug of an organization, from the user's memberships or (superusers, who need not be
 * members) from the API. undefined while unknown; the id alone stays usable meanwhile.
 */
export function useOrganizationInfo(id: string | undefined): OrganizationInfo | undefined {
  const { me } = useSession();
  const membership = id ? me?.memberships.find((entry) => entry.organization === id) : undefined;
  const [fetched, setFetched] = useState<OrganizationInfo | undefined>(undefined);
  useEffect(() => {
    if (!id || membership) return undefined;
    let current = true;
    call(api.GET('/api/v1/organizations/{id}/', { params: { path: { id } } }))
      .then((organization) => {
        if (current) setFetched({ id: organization.id, name: organization.name, slug: organization.slug });
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [id, membership]);
  if (membership)
    return { id: membership.organization, name: membership.organization_name, slug: membership.organization_slug };
  return fetched?.id === id ? fetched : undefined;
}

/** Whether the user may change things (upgrade, cancel, retry) in this organization. */
export function useCanWriteIn(organizationId: string | undefined): boolean {
  const { me } = useSession();
  if (!me || !organizationId) return false;
  return (
    me.is_superuser || me.memberships.some((entry) => entry.organization === organizationId && entry.role === 'admin')
  );
}

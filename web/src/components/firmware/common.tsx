import { type ReactNode, type RefObject, useEffect, useId, useMemo, useRef, useState } from 'react';
import { api, ApiError, call } from '../../api/client';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../hooks/useSession';
import { ErrorMessage } from '../ui';
import type { Organization } from './types';

/** Building blocks shared by the firmware pages (categories, builds, images). */

/** The API's message for a form field, or for one of its items (`packages.0`). */
export function fieldError(error: unknown, name: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const direct = error.fields[name];
  if (direct) return direct;
  const key = Object.keys(error.fields).find((candidate) => candidate.startsWith(`${name}.`));
  return key ? error.fields[key] : undefined;
}

/**
 * The error of a whole form, next to its buttons; left out when every part of it is already shown
 * next to one of the form's `fields`.
 */
export function FormError({ error, fields }: { error: unknown; fields: string[] }) {
  if (!error) return null;
  if (error instanceof ApiError) {
    const keys = Object.keys(error.fields);
    const allShown =
      keys.length > 0 && keys.every((key) => fields.some((field) => key === field || key.startsWith(`${field}.`)));
    if (allShown) return null;
  }
  return <ErrorMessage error={error} />;
}

/**
 * Something that opens from a button (a form, a confirmation): when it closes, the keyboard focus
 * goes back to the button that opened it.
 */
export function useDisclosure(): {
  open: boolean;
  setOpen: (open: boolean) => void;
  trigger: RefObject<HTMLButtonElement | null>;
} {
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement | null>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (!open && wasOpen.current) trigger.current?.focus();
    wasOpen.current = open;
  }, [open]);
  return { open, setOpen, trigger };
}

/**
 * Whether the user may change objects of this organization (null: shared): superusers everywhere,
 * admins in their own organizations. Stricter than the session's `canWrite`, which is about the
 * selected organization as a whole.
 */
export function useMayWrite(organizationId: string | null | undefined): boolean {
  const { me, canWrite } = useSession();
  if (!me || !canWrite || organizationId === undefined) return false;
  if (me.is_superuser) return true;
  return (
    organizationId !== null &&
    me.memberships.some((membership) => membership.organization === organizationId && membership.role === 'admin')
  );
}

export interface OrganizationChoice {
  id: string;
  name: string;
  slug: string;
}

/**
 * The organizations the user deals with: for superusers every organization (asked from the API),
 * for others their memberships. `nameOf` gives the name to show for an object's organization.
 */
export function useOrganizations(): { organizations: OrganizationChoice[]; nameOf: (id: string | null) => string } {
  const { me } = useSession();
  const superuser = Boolean(me?.is_superuser);
  const all = useLoad<Organization[]>(async () => {
    if (!superuser) return [];
    // Every page: an installation may have more organizations than one page holds.
    const organizations: Organization[] = [];
    for (let page = 1; ; page += 1) {
      const answer = await call(api.GET('/api/v1/organizations/', { params: { query: { page, page_size: 100 } } }));
      organizations.push(...answer.results);
      if (!answer.next) return organizations;
    }
  }, [superuser]);
  return useMemo(() => {
    const byId = new Map<string, OrganizationChoice>();
    for (const membership of me?.memberships ?? []) {
      byId.set(membership.organization, {
        id: membership.organization,
        name: membership.organization_name,
        slug: membership.organization_slug,
      });
    }
    for (const organization of all.data ?? [])
      byId.set(organization.id, { id: organization.id, name: organization.name, slug: organization.slug });
    const organizations = [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
    const nameOf = (id: string | null) => (id === null ? 'Shared' : (byId.get(id)?.name ?? 'Another organization'));
    return { organizations, nameOf };
  }, [me, all.data]);
}

/** Whether the user sees objects of several organizations, so lists say which one each belongs to. */
export function useSeveralOrganizations(): boolean {
  const { me, organization } = useSession();
  if (!me || organization) return false;
  return me.is_superuser || me.memberships.length > 1;
}

/**
 * An inline confirmation of a destructive action: says what will be lost, and runs `onConfirm`
 * only after an explicit second click. Focus moves into it when it opens.
 */
export function ConfirmPanel({
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}) {
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };
  return (
    <fieldset
      className="panel confirm group"
      aria-labelledby={headingId}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !busy) onCancel();
      }}
    >
      <h2 id={headingId} ref={heading} tabIndex={-1}>
        {title}
      </h2>
      {children}
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="button" className="danger" onClick={() => void confirm()} disabled={busy}>
          {busy ? 'Deleting…' : confirmLabel}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}

/** A SHA-256 shortened for tables; the whole hash is in the tooltip. */
export function ShortHash({ value }: { value: string }) {
  return <code title={value}>{value.slice(0, 12)}…</code>;
}

/** A list of board names, comma-separated, or a dash. */
export function Boards({ boards }: { boards: string[] }) {
  return boards.length > 0 ? boards.join(', ') : <span className="muted">—</span>;
}

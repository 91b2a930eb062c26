import { useState } from 'react';
import { NavLink, Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../hooks/useSession';
import { useOrganizations } from './firmware/common';
import { NotificationBell } from './notifications/NotificationBell';
import { Loading } from './ui';

const LINKS = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/firmware', label: 'Firmware' },
  { to: '/devices', label: 'Devices' },
  { to: '/enroll', label: 'Enroll routers' },
  { to: '/batches', label: 'Mass upgrades' },
  { to: '/maintenance-windows', label: 'Maintenance windows' },
  { to: '/health-checks', label: 'Health checks' },
  { to: '/custom-builds', label: 'Custom builds' },
  { to: '/webhooks', label: 'Webhooks' },
  { to: '/tokens', label: 'API tokens' },
  // The audit log is for organization admins and superusers (operators are refused).
  { to: '/audit-log', label: 'Audit log', admins: true },
];

/** The frame of every page once logged in: navigation, organization switcher, the user and logout. */
export function Layout() {
  const { me, organization, setOrganization, logout } = useSession();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  // Superusers choose among every organization, members among theirs.
  const { organizations } = useOrganizations();
  if (me === undefined)
    return (
      <main className="content">
        <Loading />
      </main>
    );
  if (me === null)
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  const isAdmin = me.is_superuser || me.memberships.some((membership) => membership.role === 'admin');
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">fleetflash</span>
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <nav id="main-nav" className={menuOpen ? 'open' : ''} aria-label="Main">
          {LINKS.filter((link) => !link.admins || isAdmin).map((link) => (
            <NavLink key={link.to} to={link.to} end={link.end} onClick={() => setMenuOpen(false)}>
              {link.label}
            </NavLink>
          ))}
        </nav>
        <div className="session">
          {me.memberships.length > 1 || me.is_superuser ? (
            <label className="org-switcher">
              <span className="visually-hidden">Organization</span>
              <select
                aria-label="Organization"
                value={organization ?? ''}
                onChange={(event) => setOrganization(event.target.value || null)}
              >
                <option value="">All organizations</option>
                {organizations.map((choice) => (
                  <option key={choice.id} value={choice.slug}>
                    {choice.name}
                  </option>
                ))}
                {organization && !organizations.some((choice) => choice.slug === organization) ? (
                  // The stored choice, until the list arrives (or if it is gone).
                  <option value={organization}>{organization}</option>
                ) : null}
              </select>
            </label>
          ) : me.memberships[0] ? (
            <span className="muted">{me.memberships[0].organization_name}</span>
          ) : null}
          <NotificationBell />
          <span className="user" title={me.is_superuser ? 'superuser' : undefined}>
            {me.username}
          </span>
          <button type="button" onClick={() => void logout()}>
            Log out
          </button>
        </div>
      </header>
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

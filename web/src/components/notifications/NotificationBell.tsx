import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../api/client';
import type { paths } from '../../api/schema';
import { formatDate } from '../ui';

type NotificationPage = paths['/api/v1/notifications/']['get']['responses'][200]['content']['application/json'];
type Item = NotificationPage['results'][number];

/** How often the bell asks for news. The server keeps no stream for it: a count every 30 s is cheap. */
const POLL_MS = 30_000;
const SHOWN = 8;
/** A bell outline (emoji need a font the machine may not have). */
const BELL_PATH =
  'M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5-6.71V3.5a2 2 0 0 0-4 0v.79' +
  'A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z';

/**
 * The header's bell: how many notifications are unread, and a dropdown with the latest, each a
 * link to the batch, operation or build it is about (opening it marks it read).
 */
export function NotificationBell() {
  const [page, setPage] = useState<NotificationPage | null>(null);
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const load = useCallback(async () => {
    try {
      setPage(await call(api.GET('/api/v1/notifications/', { params: { query: { page_size: SHOWN } } })));
    } catch {
      // The next poll tries again; the bell keeps what it showed.
    }
  }, []);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    const onFocus = () => void load();
    window.addEventListener('focus', onFocus);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
    };
  }, [load]);
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !box.current?.contains(event.target as Node))
        setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  const unread = page?.unread ?? 0;
  const markRead = async (item: Item) => {
    setOpen(false);
    if (item.read_at) return;
    await call(api.POST('/api/v1/notifications/{id}/read/', { params: { path: { id: item.id } } })).catch(() => {});
    void load();
  };
  const markAll = async () => {
    await call(api.POST('/api/v1/notifications/read-all/')).catch(() => {});
    void load();
  };

  return (
    <div className="bell" ref={box}>
      <button
        type="button"
        className="bell-button"
        aria-expanded={open}
        aria-controls="bell-menu"
        aria-label={`Notifications, ${unread} unread`}
        onClick={() => {
          setOpen(!open);
          if (!open) void load();
        }}
      >
        <svg aria-hidden="true" width="16" height="16" viewBox="0 0 24 24" fill="currentColor">
          <path d={BELL_PATH} />
        </svg>
        {unread > 0 ? (
          <span className="bell-count" data-testid="unread-count">
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <section id="bell-menu" className="bell-menu" aria-label="Latest notifications">
          <div className="bell-head">
            <strong>Notifications</strong>
            <button type="button" onClick={() => void markAll()} disabled={unread === 0}>
              Mark all read
            </button>
          </div>
          {page && page.results.length > 0 ? (
            <ul>
              {page.results.map((item) => (
                <li key={item.id} className={item.read_at ? '' : 'unread'}>
                  <Link to={item.link ?? '/notifications'} onClick={() => void markRead(item)}>
                    {item.title}
                  </Link>
                  <small className="muted">{formatDate(item.occurred_at)}</small>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">Nothing yet. Paused or failed mass upgrades and failed upgrades show up here.</p>
          )}
          <Link to="/notifications" onClick={() => setOpen(false)}>
            All notifications and email settings
          </Link>
        </section>
      ) : null}
    </div>
  );
}

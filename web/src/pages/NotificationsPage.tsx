import { useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { DataTable } from '../components/DataTable';
import { EmailPreferences } from '../components/notifications/EmailPreferences';
import { EVENT_LABELS } from '../components/notifications/text';
import { EmptyState, ErrorMessage, formatDate, Loading, PageHeader, Pagination } from '../components/ui';
import { useLoad } from '../hooks/useLoad';

const PAGE_SIZE = 20;

/** Your notifications (read and unread), and "My notifications": which events you also get by email. */
export function NotificationsPage() {
  const [page, setPage] = useState(1);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const list = useLoad(
    () =>
      call(
        api.GET('/api/v1/notifications/', {
          params: { query: { page, page_size: PAGE_SIZE, ...(unreadOnly ? { unread: true } : {}) } },
        }),
      ),
    [page, unreadOnly],
  );
  const act = async (request: Promise<unknown>) => {
    setError(null);
    try {
      await request;
      await list.reload();
    } catch (caught) {
      setError(caught);
    }
  };
  type Item = NonNullable<typeof list.data>['results'][number];

  return (
    <>
      <PageHeader
        title="Notifications"
        actions={
          <button
            type="button"
            onClick={() => void act(call(api.POST('/api/v1/notifications/read-all/')))}
            disabled={!list.data?.unread}
          >
            Mark all read
          </button>
        }
      />
      <label>
        <input
          type="checkbox"
          checked={unreadOnly}
          onChange={(event) => {
            setUnreadOnly(event.target.checked);
            setPage(1);
          }}
        />{' '}
        Unread only
      </label>
      <ErrorMessage error={list.error ?? error} />
      {list.data === undefined ? (
        list.error ? null : (
          <Loading what="Loading your notifications" />
        )
      ) : list.data.results.length === 0 ? (
        <EmptyState>
          No notifications{unreadOnly ? ' unread' : ''}. You are told here when a mass upgrade pauses, finishes or
          fails, when an upgrade fails, and when a custom image build fails, in your organizations.
        </EmptyState>
      ) : (
        <>
          <p className="muted">{list.data.unread} unread</p>
          <DataTable<Item>
            rows={list.data.results}
            rowKey={(item) => item.id}
            rowProps={(item) => ({
              className: item.read_at ? '' : 'unread',
              'data-unread': item.read_at ? undefined : 'true',
            })}
            columns={[
              {
                header: 'What',
                cell: (item) => (item.link ? <Link to={item.link}>{item.title}</Link> : item.title),
              },
              { header: 'Event', className: 'hide-narrow', cell: (item) => EVENT_LABELS[item.event] },
              { header: 'Detail', className: 'hide-narrow', cell: (item) => item.detail },
              { header: 'When', cell: (item) => formatDate(item.occurred_at) },
              {
                header: <span className="visually-hidden">Actions</span>,
                cell: (item) =>
                  item.read_at ? (
                    <span className="muted">read</span>
                  ) : (
                    <button
                      type="button"
                      onClick={() =>
                        void act(
                          call(api.POST('/api/v1/notifications/{id}/read/', { params: { path: { id: item.id } } })),
                        )
                      }
                    >
                      Mark read
                    </button>
                  ),
              },
            ]}
          />
          <Pagination page={page} pageSize={PAGE_SIZE} count={list.data.count} onPage={setPage} />
        </>
      )}
      <h2>My notifications</h2>
      <p>
        Everything above also shows in the bell at the top. Choose here which events should reach you by email as well.
      </p>
      <EmailPreferences />
    </>
  );
}

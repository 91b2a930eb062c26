import { useMemo, useState } from 'react';
import { api, call } from '../api/client';
import type { paths } from '../api/schema';
import { DataTable } from '../components/DataTable';
import { useOrganizations } from '../components/firmware/common';
import { CircuitBadge } from '../components/notifications/CircuitBadge';
import { EVENT_LABELS } from '../components/notifications/text';
import { WebhookDeliveries } from '../components/notifications/WebhookDeliveries';
import { WebhookForm, type WebhookFields } from '../components/notifications/WebhookForm';
import { WebhookSecret } from '../components/notifications/WebhookSecret';
import { EmptyState, ErrorMessage, Loading, PageHeader, Pagination } from '../components/ui';
import { useLoad } from '../hooks/useLoad';
import { useOrganizationFilter, useSession } from '../hooks/useSession';

const PAGE_SIZE = 20;

type Webhook = paths['/api/v1/webhooks/{id}/']['get']['responses'][200]['content']['application/json'];

/** An organization's webhooks: create, change, delete, send a test, rotate the secret, read the delivery log. */
export function WebhooksPage() {
  const { me, canWrite } = useSession();
  const filter = useOrganizationFilter();
  const { organizations, nameOf } = useOrganizations();
  const [page, setPage] = useState(1);
  const webhooks = useLoad(
    () => call(api.GET('/api/v1/webhooks/', { params: { query: { page, page_size: PAGE_SIZE, ...filter } } })),
    [page, filter.organization],
  );
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [created, setCreated] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState('');

  // Where a new webhook may go: the selected organization, else any the user administers.
  const administered = useMemo(() => {
    const admin = new Set(me?.memberships.filter((m) => m.role === 'admin').map((m) => m.organization));
    const choices = organizations.filter((o) => me?.is_superuser || admin.has(o.id));
    return filter.organization ? choices.filter((o) => o.slug === filter.organization) : choices;
  }, [me, organizations, filter.organization]);

  const run = async (action: () => Promise<void>, done: string) => {
    setError(null);
    setMessage('');
    try {
      await action();
      setMessage(done);
      await webhooks.reload();
    } catch (caught) {
      setError(caught);
    }
  };
  const create = async (fields: WebhookFields) => {
    const created = await call(
      api.POST('/api/v1/webhooks/', {
        body: {
          url: fields.url,
          description: fields.description,
          events: fields.events,
          active: fields.active,
          ...(fields.organization ? { organization: fields.organization } : {}),
        },
      }),
    );
    setSecret({ url: created.url, secret: created.secret });
    setCreated((count) => count + 1);
    setPage(1);
    await webhooks.reload();
  };
  const sendTest = (webhook: Webhook) =>
    run(async () => {
      await call(api.POST('/api/v1/webhooks/{id}/test/', { params: { path: { id: webhook.id } } }));
      setShown(webhook.id);
      setRefresh((value) => value + 1);
    }, `Test queued for ${webhook.url}: its delivery shows in the log below.`);
  const rotate = (webhook: Webhook) =>
    run(async () => {
      const rotated = await call(
        api.POST('/api/v1/webhooks/{id}/rotate-secret/', { params: { path: { id: webhook.id } } }),
      );
      setSecret({ url: rotated.url, secret: rotated.secret });
    }, 'New secret generated: deliveries carry a signature with the old one too for 24 hours.');
  const remove = (webhook: Webhook) =>
    run(async () => {
      await call(api.DELETE('/api/v1/webhooks/{id}/', { params: { path: { id: webhook.id } } }));
      if (shown === webhook.id) setShown(null);
    }, `Deleted the webhook to ${webhook.url}.`);

  const single = administered.length === 1 ? administered[0] : undefined;
  return (
    <>
      <PageHeader title="Webhooks" />
      <p>
        A webhook POSTs a signed JSON message to your URL when a mass upgrade pauses, finishes, fails or is cancelled,
        when an upgrade fails, or when a custom image build fails. Check the <code>X-Fleetflash-Signature</code> header
        with the webhook’s secret (docs/api.md, “Webhooks”, shows how). Failed deliveries are retried with growing
        waits.
      </p>
      {canWrite && administered.length > 0 ? (
        <section className="panel" aria-labelledby="webhook-new">
          <h2 id="webhook-new" style={{ marginTop: 0 }}>
            New webhook{single ? ` for ${single.name}` : ''}
          </h2>
          <WebhookForm
            key={created}
            initial={{
              url: '',
              description: '',
              events: ['batch.paused', 'batch.failed'],
              active: true,
              ...(single ? { organization: single.id } : {}),
            }}
            organizations={single ? undefined : administered}
            submitLabel="Create webhook"
            onSubmit={create}
          />
        </section>
      ) : null}
      {secret ? <WebhookSecret {...secret} onDone={() => setSecret(null)} /> : null}

      <h2>Webhooks</h2>
      <p role="status" className="muted">
        {message}
      </p>
      <ErrorMessage error={webhooks.error ?? error} />
      {webhooks.data === undefined ? (
        webhooks.error ? null : (
          <Loading what="Loading webhooks" />
        )
      ) : webhooks.data.results.length === 0 ? (
        <EmptyState>
          No webhooks yet{canWrite ? ': create one above.' : '. An organization admin can add one.'}
        </EmptyState>
      ) : (
        <>
          <DataTable<Webhook>
            rows={webhooks.data.results}
            rowKey={(webhook) => webhook.id}
            rowProps={(webhook) => ({ 'data-webhook': webhook.url })}
            columns={[
              {
                header: 'URL',
                cell: (webhook) => (
                  <>
                    <code>{webhook.url}</code>
                    {webhook.description ? <div className="muted">{webhook.description}</div> : null}
                  </>
                ),
              },
              { header: 'Organization', className: 'hide-narrow', cell: (webhook) => nameOf(webhook.organization) },
              { header: 'Events', cell: (webhook) => webhook.events.map((event) => EVENT_LABELS[event]).join(', ') },
              {
                header: 'Active',
                cell: (webhook) => (
                  <>
                    <span className={`badge badge-${webhook.active ? 'ok' : 'muted'}`}>
                      {webhook.active ? 'active' : 'off'}
                    </span>{' '}
                    <CircuitBadge circuit={webhook.circuit} />
                  </>
                ),
              },
              {
                header: <span className="visually-hidden">Actions</span>,
                cell: (webhook) => (
                  <div className="actions">
                    <button type="button" onClick={() => setShown(shown === webhook.id ? null : webhook.id)}>
                      {shown === webhook.id ? 'Hide deliveries' : 'Deliveries'}
                    </button>
                    {canWrite ? (
                      <>
                        <button type="button" onClick={() => void sendTest(webhook)}>
                          Send test
                        </button>
                        <button type="button" onClick={() => setEditing(editing === webhook.id ? null : webhook.id)}>
                          Edit
                        </button>
                        <button type="button" onClick={() => void rotate(webhook)}>
                          New secret
                        </button>
                        <ConfirmDelete webhook={webhook} onConfirm={() => void remove(webhook)} />
                      </>
                    ) : null}
                  </div>
                ),
              },
            ]}
          />
          <Pagination page={page} pageSize={PAGE_SIZE} count={webhooks.data.count} onPage={setPage} />
        </>
      )}
      {editing && webhooks.data?.results.some((webhook) => webhook.id === editing) ? (
        <EditWebhook
          webhook={webhooks.data.results.find((webhook) => webhook.id === editing)!}
          onDone={() => {
            setEditing(null);
            void webhooks.reload();
          }}
        />
      ) : null}
      {shown ? (
        <section aria-labelledby="deliveries-heading">
          <h2 id="deliveries-heading">
            Deliveries to {webhooks.data?.results.find((webhook) => webhook.id === shown)?.url ?? 'the webhook'}
          </h2>
          <WebhookDeliveries webhookId={shown} refreshKey={refresh} />
        </section>
      ) : null}
    </>
  );
}

function ConfirmDelete({ webhook, onConfirm }: { webhook: Webhook; onConfirm: () => void }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming)
    return (
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        Delete
      </button>
    );
  return (
    <fieldset className="group" aria-label={`Confirm deleting the webhook to ${webhook.url}`}>
      <p style={{ margin: '0 0 0.4rem' }}>Delete it with its delivery log? The receiver gets nothing more.</p>
      <div className="actions">
        {/* biome-ignore lint/a11y/noAutofocus: replaces the Delete button just pressed, so the focus moves here */}
        <button type="button" className="danger" onClick={onConfirm} autoFocus>
          Yes, delete
        </button>
        <button type="button" onClick={() => setConfirming(false)}>
          Keep
        </button>
      </div>
    </fieldset>
  );
}

function EditWebhook({ webhook, onDone }: { webhook: Webhook; onDone: () => void }) {
  return (
    <section className="panel" aria-labelledby="webhook-edit">
      <h2 id="webhook-edit" style={{ marginTop: 0 }}>
        Change the webhook to {webhook.url}
      </h2>
      <WebhookForm
        initial={{ url: webhook.url, description: webhook.description, events: webhook.events, active: webhook.active }}
        submitLabel="Save changes"
        onCancel={onDone}
        onSubmit={async (fields) => {
          await call(
            api.PATCH('/api/v1/webhooks/{id}/', {
              params: { path: { id: webhook.id } },
              body: { url: fields.url, description: fields.description, events: fields.events, active: fields.active },
            }),
          );
          onDone();
        }}
      />
    </section>
  );
}

import { useState } from 'react';
import { api, call } from '../../api/client';
import { ErrorMessage } from '../ui';
import { plural } from '../upgrades/model';
import { BulkUpgrade } from './BulkUpgrade';
import { BULK_REFUSAL_TEXT, type BulkOutcome, type DeviceFilterSet } from './fleet';

/** Which devices a bulk action acts on: the ids ticked, or every device the list's filters match. */
export type Selection = { kind: 'ids'; ids: string[] } | { kind: 'matching'; filters: DeviceFilterSet; count: number };

export function selectionSize(selection: Selection): number {
  return selection.kind === 'ids' ? selection.ids.length : selection.count;
}

/**
 * The actions on the selected devices: retry their failed upgrades and cancel their open ones (each
 * a single click that says how many devices it acts on), and upgrade them through a dry run.
 */
export function BulkActions({
  selection,
  canWrite,
  onDone,
}: {
  selection: Selection;
  canWrite: boolean;
  onDone: () => void;
}) {
  const [outcome, setOutcome] = useState<{ action: 'retry' | 'cancel'; answer: BulkOutcome } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [upgrading, setUpgrading] = useState(false);
  const count = selectionSize(selection);
  const body = selection.kind === 'ids' ? { devices: selection.ids } : { filters: selection.filters };

  const act = async (action: 'retry' | 'cancel') => {
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      const path = action === 'retry' ? '/api/v1/devices/upgrades/retry/' : '/api/v1/devices/upgrades/cancel/';
      setOutcome({ action, answer: await call(api.POST(path, { body })) });
      onDone();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const devices = plural(count, 'device');
  return (
    <section className="panel" aria-label="Bulk actions">
      <div className="actions" style={{ marginTop: 0 }}>
        <strong>{devices} selected</strong>
        {canWrite ? (
          <>
            <button type="button" className="primary" disabled={busy || count === 0} onClick={() => void act('retry')}>
              Retry {devices}
            </button>
            <button type="button" disabled={busy || count === 0} onClick={() => void act('cancel')}>
              Cancel upgrades of {devices}
            </button>
            <button type="button" disabled={busy || count === 0} onClick={() => setUpgrading(true)}>
              Upgrade {devices}…
            </button>
          </>
        ) : (
          <span className="muted">Only an admin of the organization can act on devices.</span>
        )}
      </div>
      {outcome ? <OutcomeText action={outcome.action} answer={outcome.answer} /> : null}
      <ErrorMessage error={error} />
      {upgrading ? <BulkUpgrade selection={selection} onClose={() => setUpgrading(false)} /> : null}
    </section>
  );
}

function OutcomeText({ action, answer }: { action: 'retry' | 'cancel'; answer: BulkOutcome }) {
  const verb = action === 'retry' ? 'Retried' : 'Cancelled the upgrades of';
  return (
    <div role="status">
      <p style={{ marginBottom: 0 }}>
        {verb} {plural(answer.done, 'device')} of {answer.selected}.
      </p>
      {answer.refused.length > 0 ? (
        <ul>
          {answer.refused.map((group) => (
            <li key={`${group.reason} ${group.code ?? ''}`}>
              {plural(group.count, 'device')} left alone: {BULK_REFUSAL_TEXT[group.reason]}
              {group.code ? (
                <>
                  {' '}
                  (<code>{group.code}</code>: {group.detail})
                </>
              ) : null}
              .
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

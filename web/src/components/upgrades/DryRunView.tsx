import type { ReactNode } from 'react';
import { DataTable } from '../DataTable';
import { EmptyState } from '../ui';
import { DryRunDevices, DryRunSkipped } from './DryRunDevices';
import { type DryRun, plural, stageName } from './model';

type DryRunModel = DryRun['models'][number];

/** What a dry run says, summed up once for the page that shows it. */
export interface DryRunSummary {
  count: number;
  ids: string[];
  withoutFirmware: Set<string>;
  /** Devices skipped only because they are not on a build of the category (upgrade_all would include them). */
  firmwareless: number;
  skipped: DryRun['skipped'];
  stages: number[];
  models: DryRunModel[];
  /** Devices that would go back to an older release. */
  downgrades: number;
}

export function summarizeDryRun(dryRun: DryRun): DryRunSummary {
  // The server's plan already follows upgrade_all: `devices` lists only devices it would upgrade.
  const ids = [...dryRun.device_firmwares, ...dryRun.devices];
  return {
    count: ids.length,
    ids,
    withoutFirmware: new Set(dryRun.devices),
    firmwareless: dryRun.skipped.filter((skip) => skip.reason === 'not-in-category').length,
    skipped: dryRun.skipped,
    stages: dryRun.stages ?? [],
    models: dryRun.models,
    downgrades: dryRun.models.reduce((sum, model) => sum + model.downgrades, 0),
  };
}

/**
 * A dry run as an operator checks it before launching: per model which image each gets, for how
 * many devices and how many of those go back to an older release; the devices one by one; the
 * planned stages; and the devices left out, with why. Everything comes from the server's dry run.
 */
export function DryRunView({
  plan,
  stale,
  empty,
  children,
}: {
  plan: DryRunSummary;
  /** A newer dry run is on its way (the filters changed). */
  stale: boolean;
  /** What to say when nothing would be upgraded. */
  empty: ReactNode;
  /** Notes under the devices (what a filter left out, say). */
  children?: ReactNode;
}) {
  return (
    <>
      <h2 id="mass-devices">{plural(plan.count, 'device')} to upgrade</h2>
      {stale ? (
        <p className="muted" aria-live="polite">
          Updating…
        </p>
      ) : null}
      {plan.count === 0 ? (
        <EmptyState>{empty}</EmptyState>
      ) : (
        <>
          <h3 id="mass-models">Per model</h3>
          {plan.downgrades > 0 ? (
            <p className="error" role="note">
              {plural(plan.downgrades, 'device')} would go back to an older OpenWrt release (a downgrade): check that
              this is meant before launching.
            </p>
          ) : null}
          <DryRunModels models={plan.models} />
          <h3 id="mass-device-list">Devices</h3>
          <DryRunDevices ids={plan.ids} withoutFirmware={plan.withoutFirmware} />
        </>
      )}
      {children}
      {plan.stages.length > 0 && plan.count > 0 ? (
        <>
          <h3>Stages</h3>
          <ol aria-label="Planned stages">
            {plan.stages.map((size, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a stage is its position in the plan
              <li key={index}>
                {stageName(index)}: {plural(size, 'device')}
              </li>
            ))}
          </ol>
          <p className="muted" id="mass-stages-note">
            Planned with the rollout settings below, exactly as the launch will run them.
          </p>
        </>
      ) : null}
      <h2 id="mass-skipped">{plural(plan.skipped.length, 'device')} skipped</h2>
      {plan.skipped.length === 0 ? (
        <p className="muted">No matching device is left out.</p>
      ) : (
        <DryRunSkipped skipped={plan.skipped} />
      )}
    </>
  );
}

/** Per model (and board): the image it gets, how many devices, how many of them are downgrades. */
export function DryRunModels({ models }: { models: readonly DryRunModel[] }) {
  return (
    <DataTable<DryRunModel>
      label="Devices to upgrade per model"
      rows={models}
      rowKey={(row) => `${row.model}\u0000${row.board}\u0000${row.image.id}`}
      rowHeader
      rowProps={(row) => ({ 'data-model': row.model || row.board })}
      columns={[
        {
          header: 'Model',
          cell: (row) => (
            <>
              {row.model || <span className="muted">unknown model</span>}
              {row.board ? (
                <>
                  <br />
                  <small className="muted">{row.board}</small>
                </>
              ) : null}
            </>
          ),
        },
        {
          header: 'Image',
          cell: (row) => (
            <>
              {row.image.label || row.image.type || <span className="muted">deleted image</span>}
              {row.image.type && row.image.label ? (
                <>
                  <br />
                  <small className="muted" style={{ overflowWrap: 'anywhere' }}>
                    {row.image.type}
                  </small>
                </>
              ) : null}
            </>
          ),
        },
        { header: 'Devices', cell: (row) => row.devices },
        {
          header: 'Downgrades',
          cell: (row) =>
            row.downgrades > 0 ? (
              <span className="badge badge-warn" title="These devices run a newer release than the build">
                {plural(row.downgrades, 'downgrade')}
              </span>
            ) : (
              <span className="muted">none</span>
            ),
        },
      ]}
    />
  );
}

import { DataTable } from '../DataTable';
import { type Batch, plural, stageName } from './model';

/** The parts of a mass upgrade's page that describe its plan: the stages with their outcomes, the rollout policy. */

type Stage = Batch['stages'][number] & { index: number };

export function StageTable({ batch }: { batch: Batch }) {
  const finished = batch.finished;
  return (
    <section>
      <h2 id="batch-stages">Stages</h2>
      <DataTable<Stage>
        rows={batch.stages.map((stage, index) => ({ ...stage, index }))}
        rowKey={(stage) => stage.index}
        rowHeader
        rowProps={(stage) => ({
          'aria-current': !finished && stage.index === batch.current_stage ? 'step' : undefined,
        })}
        columns={[
          {
            header: 'Stage',
            cell: ({ index }) => (
              <>
                {stageName(index)}
                {!finished && index === batch.current_stage ? (
                  <>
                    {' '}
                    <span className="badge badge-busy">current</span>
                  </>
                ) : index > batch.current_stage && !finished ? (
                  <>
                    {' '}
                    <span className="muted">waiting</span>
                  </>
                ) : null}
              </>
            ),
          },
          { header: 'Devices', cell: (stage) => stage.size },
          { header: 'Succeeded', cell: (stage) => stage.success },
          { header: 'Failed', cell: (stage) => stage.failed },
          { header: 'Aborted', className: 'hide-narrow', cell: (stage) => stage.aborted },
          { header: 'Cancelled', className: 'hide-narrow', cell: (stage) => stage.cancelled },
          {
            header: 'Open',
            cell: (stage) =>
              `${stage.open}${stage.waiting_offline > 0 ? ` (${stage.waiting_offline} offline)` : ''}` +
              `${stage.waiting_for_window > 0 ? ` (${stage.waiting_for_window} waiting for their window)` : ''}`,
          },
        ]}
      />
    </section>
  );
}

/** The batch's rollout policy, as rows of its details; null when this version cannot read the stored one. */
export function RolloutRows({ rollout }: { rollout: Batch['rollout'] }) {
  if (!rollout)
    return (
      <>
        <dt>Rollout</dt>
        <dd>unreadable by this version of fleetflash: cancel this mass upgrade and launch it again</dd>
      </>
    );
  return (
    <>
      <dt>Canary</dt>
      <dd>
        {rollout.canary_count !== null
          ? plural(rollout.canary_count, 'device')
          : rollout.canary_percent !== null
            ? `${rollout.canary_percent} % of the devices`
            : 'default'}
      </dd>
      <dt>Stages grow</dt>
      <dd>
        {rollout.stage_sizes
          ? `sizes ${rollout.stage_sizes.join(', ')}`
          : rollout.stage_factor !== null
            ? `× ${rollout.stage_factor}`
            : 'default'}
      </dd>
      <dt>Success gate</dt>
      <dd>{rollout.success_gate_percent} %</dd>
      <dt>Pauses above</dt>
      <dd>
        {rollout.failure_threshold_percent} % failures (after {rollout.failure_threshold_min_decided} decided)
      </dd>
      <dt>Bake time</dt>
      <dd>{rollout.bake_seconds} s</dd>
      <dt>Devices at once</dt>
      <dd>{rollout.max_concurrent}</dd>
    </>
  );
}

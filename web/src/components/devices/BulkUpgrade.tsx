import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, call } from '../../api/client';
import { useLoad } from '../../hooks/useLoad';
import { useOrganizationFilter } from '../../hooks/useSession';
import { ErrorMessage, Loading } from '../ui';
import { DryRunView, summarizeDryRun } from '../upgrades/DryRunView';
import { BackupModeField } from '../upgrades/BackupModeField';
import { type BackupMode, plural } from '../upgrades/model';
import type { Selection } from './BulkActions';

/**
 * "Upgrade selected": the operator picks a build, sees the server's dry run for exactly the selected
 * devices (what each gets, which are skipped and why: the same view as the mass-upgrade page), and
 * launches it; the mass upgrade keeps the selection.
 */
export function BulkUpgrade({ selection, onClose }: { selection: Selection; onClose: () => void }) {
  const navigate = useNavigate();
  const organizationFilter = useOrganizationFilter();
  const buildField = useId();
  const [buildId, setBuildId] = useState('');
  const [upgradeAll, setUpgradeAll] = useState(false);
  const [launchError, setLaunchError] = useState<unknown>(null);
  const [launching, setLaunching] = useState(false);
  const [backup, setBackup] = useState<BackupMode>('required');

  const builds = useLoad(
    () =>
      call(
        api.GET('/api/v1/firmware/build/', {
          params: { query: { ...organizationFilter, page_size: 100, ordering: '-created,-version' } },
        }),
      ),
    [organizationFilter.organization],
  );
  // "All N matching" names the devices by filter: the mass upgrade takes ids, fetched once.
  const selectionKey = JSON.stringify(selection);
  const ids = useLoad(async () => {
    if (selection.kind === 'ids') return selection.ids;
    return (await call(api.GET('/api/v1/devices/ids/', { params: { query: selection.filters } }))).ids;
  }, [selectionKey]);
  const body = ids.data ? { devices: ids.data, upgrade_all: upgradeAll } : null;
  const dryRun = useLoad(async () => {
    if (!buildId || !body || body.devices.length === 0) return undefined;
    return call(api.POST('/api/v1/firmware/build/{id}/upgrade/dry-run/', { params: { path: { id: buildId } }, body }));
  }, [buildId, ids.data, upgradeAll]);

  const toUpgrade = dryRun.data ? [...dryRun.data.device_firmwares, ...dryRun.data.devices] : [];
  const canLaunch = body !== null && dryRun.data !== undefined && !dryRun.loading && toUpgrade.length > 0;

  const launch = async () => {
    if (!canLaunch) return;
    setLaunching(true);
    setLaunchError(null);
    try {
      const answer = await call(
        api.POST('/api/v1/firmware/build/{id}/upgrade/', {
          params: { path: { id: buildId } },
          body: { ...body, backup },
        }),
      );
      navigate(`/batches/${answer.batch}`);
    } catch (caught) {
      setLaunchError(caught);
      setLaunching(false);
    }
  };

  return (
    <div role="dialog" aria-modal="false" aria-labelledby={`${buildField}-title`} className="panel">
      <h2 id={`${buildField}-title`} style={{ marginTop: 0 }}>
        Upgrade {plural(ids.data?.length ?? 0, 'selected device')}
      </h2>
      <ErrorMessage error={ids.error ?? builds.error} />
      <div className="field">
        <label htmlFor={buildField}>Build</label>
        <select id={buildField} value={buildId} onChange={(event) => setBuildId(event.target.value)}>
          <option value="">Choose a build…</option>
          {(builds.data?.results ?? []).map((build) => (
            <option key={build.id} value={build.id}>
              {build.category_relation.name} {build.version}
            </option>
          ))}
        </select>
      </div>
      <div className="checkbox">
        <input
          id={`${buildField}-all`}
          type="checkbox"
          checked={upgradeAll}
          onChange={(event) => setUpgradeAll(event.target.checked)}
        />
        <label htmlFor={`${buildField}-all`}>Also devices not on a build of this category</label>
      </div>
      <BackupModeField value={backup} onChange={setBackup} />
      {buildId === '' ? null : dryRun.data === undefined ? (
        dryRun.error ? (
          <ErrorMessage error={dryRun.error} />
        ) : (
          <Loading what="Finding what each device would get" />
        )
      ) : (
        <section aria-busy={dryRun.loading} aria-label="Dry run">
          <DryRunView
            plan={summarizeDryRun(dryRun.data)}
            stale={dryRun.loading}
            empty="None of the selected devices would be upgraded to this build: see why below."
          >
            {(ids.data?.length ?? 0) > dryRun.data.in_scope ? (
              <p className="muted">
                {plural((ids.data?.length ?? 0) - dryRun.data.in_scope, 'selected device')} cannot run this build at all
                (no image for its board, and not on its category).
              </p>
            ) : null}
          </DryRunView>
        </section>
      )}
      <div className="actions sticky-actions">
        <button type="button" className="primary" disabled={!canLaunch || launching} onClick={() => void launch()}>
          {launching ? 'Launching…' : `Launch upgrade of ${plural(toUpgrade.length, 'device')}`}
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <ErrorMessage error={launchError} />
    </div>
  );
}

import { type FormEvent, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError, call } from '../api/client';
import { ErrorMessage, Field, Loading, PageHeader } from '../components/ui';
import { type DryRunSummary, DryRunView, summarizeDryRun } from '../components/upgrades/DryRunView';
import { BackupModeField } from '../components/upgrades/BackupModeField';
import { type BackupMode, plural } from '../components/upgrades/model';
import {
  EMPTY_ROLLOUT,
  type RolloutBody,
  type RolloutForm,
  RolloutFields,
  rolloutBody,
} from '../components/upgrades/RolloutFields';
import { useDebounced } from '../components/upgrades/timing';
import { BatchHealthCheckField, healthCheckField } from '../components/health-checks/BatchHealthCheckField';
import { BatchWindowField } from '../components/maintenance-windows/BatchWindowField';
import { useLoad } from '../hooks/useLoad';
import { useSession } from '../hooks/useSession';

/**
 * The confirmation before a mass upgrade: which devices it would upgrade and which it skips (the
 * server's dry run, again whenever a filter changes), how it rolls out, then the launch.
 */
export function MassUpgradePage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { canWrite, organization: sessionOrganization } = useSession();

  const build = useLoad(() => call(api.GET('/api/v1/firmware/build/{id}/', { params: { path: { id } } })), [id]);
  const images = useLoad(
    () => call(api.GET('/api/v1/firmware/build/{id}/image/', { params: { path: { id }, query: { page_size: 1 } } })),
    [id],
  );
  const shared = build.data !== undefined && build.data.organization === null;
  const organizations = useLoad(
    async () =>
      shared
        ? (await call(api.GET('/api/v1/organizations/', { params: { query: { page_size: 100, is_active: true } } })))
            .results
        : [],
    [shared],
  );

  const [group, setGroup] = useState('');
  const [location, setLocation] = useState('');
  const [upgradeAll, setUpgradeAll] = useState(false);
  const [organization, setOrganization] = useState(sessionOrganization ?? '');
  const [windowId, setWindowId] = useState('');
  const [healthCheck, setHealthCheck] = useState('');
  const filters = { group: useDebounced(group.trim(), 400), location: useDebounced(location.trim(), 400) };
  // A build of an organization upgrades that organization's devices; only a shared build asks whose.
  const organizationFilter = shared && organization ? { organization } : {};
  // The organization whose devices the batch upgrades (its windows are the ones it may name); null: several.
  const batchOrganization = shared
    ? ((organization && organizations.data?.find((entry) => entry.slug === organization)?.id) ?? null)
    : (build.data?.organization ?? null);
  const [rollout, setRollout] = useState<RolloutForm>(EMPTY_ROLLOUT);
  const [allowDowngrade, setAllowDowngrade] = useState(false);
  // The dry run gets the same plan fields as the launch (the rollout as typed so far), so its stages are the launch's.
  // One body for the dry run and the launch: what the confirmation previews is what the launch asks for.
  const planBody = (policy: RolloutBody) => ({
    upgrade_all: upgradeAll,
    ...(allowDowngrade ? { allow_downgrade: true } : {}),
    ...(filters.group ? { group: filters.group } : {}),
    ...(filters.location ? { location: filters.location } : {}),
    ...organizationFilter,
    ...(Object.keys(policy).length > 0 ? { rollout: policy } : {}),
  });
  const plannedRollout = useDebounced(JSON.stringify(rolloutBody(rollout).rollout), 400);
  const dryRun = useLoad(async () => {
    if (!build.data) return undefined;
    const policy = JSON.parse(plannedRollout) as RolloutBody;
    return call(
      api.POST('/api/v1/firmware/build/{id}/upgrade/dry-run/', {
        params: { path: { id } },
        body: planBody(policy),
      }),
    );
  }, [
    id,
    build.data === undefined,
    upgradeAll,
    allowDowngrade,
    filters.group,
    filters.location,
    organizationFilter.organization,
    plannedRollout,
  ]);

  const [problems, setProblems] = useState<Record<string, string>>({});
  const [launchError, setLaunchError] = useState<unknown>(null);
  const [launching, setLaunching] = useState(false);
  const [backup, setBackup] = useState<BackupMode>('required');

  const plan = useMemo(() => (dryRun.data ? summarizeDryRun(dryRun.data) : null), [dryRun.data]);
  const dryRunFields = dryRun.error instanceof ApiError ? dryRun.error.fields : {};
  const errors = { ...dryRunFields, ...problems };
  const hasImages = images.data === undefined || images.data.count > 0;
  const stale =
    filters.group !== group.trim() ||
    filters.location !== location.trim() ||
    plannedRollout !== JSON.stringify(rolloutBody(rollout).rollout) ||
    dryRun.loading;
  const canLaunch = canWrite && plan !== null && plan.count > 0 && hasImages && !launching && !stale;

  const launch = async (event: FormEvent) => {
    event.preventDefault();
    if (!canLaunch) return;
    const { rollout: policy, problems: found } = rolloutBody(rollout);
    setProblems(found);
    setLaunchError(null);
    if (Object.keys(found).length > 0) {
      setLaunchError(new Error('Some rollout settings are not valid: see the fields above.'));
      return;
    }
    setLaunching(true);
    try {
      const answer = await call(
        api.POST('/api/v1/firmware/build/{id}/upgrade/', {
          params: { path: { id } },
          body: {
            ...planBody(policy),
            backup,
            ...(rollout.waitForOffline ? { wait_for_offline: true } : {}),
            ...(windowId ? { maintenance_window: windowId } : {}),
            ...healthCheckField(healthCheck),
          },
        }),
      );
      navigate(`/batches/${answer.batch}`);
    } catch (caught) {
      setLaunchError(caught);
      if (caught instanceof ApiError) setProblems(caught.fields);
      setLaunching(false);
    }
  };

  const title = build.data ? `Mass upgrade to ${build.data.version}` : 'Mass upgrade';
  const back = { to: `/firmware/builds/${id}`, label: build.data ? `Build ${build.data.version}` : 'Build' };
  if (build.data === undefined) {
    return (
      <>
        <PageHeader title={title} back={back} />
        {build.error ? <ErrorMessage error={build.error} /> : <Loading what="Loading the build" />}
      </>
    );
  }

  return (
    <>
      <PageHeader title={title} back={back} />
      <p className="muted">
        Nothing changes until you launch: this is what a mass upgrade of the{' '}
        <strong>{build.data.category_relation.name}</strong> build <strong>{build.data.version}</strong> would do with
        the filters below.
      </p>

      <form onSubmit={(event) => void launch(event)} noValidate>
        <section className="panel">
          <h2 id="mass-filters" style={{ marginTop: 0 }}>
            Which devices
          </h2>
          <div className="filters">
            {shared ? (
              <Field
                label="Organization"
                error={errors.organization}
                hint="The build is shared: choose whose devices to upgrade."
              >
                {(fieldId, describedBy) => (
                  <select
                    id={fieldId}
                    aria-describedby={describedBy}
                    value={organization}
                    onChange={(event) => setOrganization(event.target.value)}
                  >
                    <option value="">Every organization I administer</option>
                    {(organizations.data ?? []).map((entry) => (
                      <option key={entry.id} value={entry.slug}>
                        {entry.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : null}
            <Field label="Group" error={errors.group} hint="Only devices of this group; empty for all.">
              {(fieldId, describedBy) => (
                <input
                  id={fieldId}
                  aria-describedby={describedBy}
                  value={group}
                  onChange={(event) => setGroup(event.target.value)}
                  autoComplete="off"
                />
              )}
            </Field>
            <Field label="Location" error={errors.location} hint="Only devices at this location; empty for all.">
              {(fieldId, describedBy) => (
                <input
                  id={fieldId}
                  aria-describedby={describedBy}
                  value={location}
                  onChange={(event) => setLocation(event.target.value)}
                  autoComplete="off"
                />
              )}
            </Field>
          </div>
          <div className="checkbox">
            <input
              id="mass-upgrade-all"
              type="checkbox"
              checked={upgradeAll}
              onChange={(event) => setUpgradeAll(event.target.checked)}
              aria-describedby="mass-upgrade-all-hint"
            />
            <span>
              <label htmlFor="mass-upgrade-all">Also devices not on a build of this category</label>
              <br />
              <small id="mass-upgrade-all-hint" className="muted">
                Devices with no firmware record yet (or on another category) whose board fits an image of this build.
              </small>
            </span>
          </div>
          {errors.upgrade_all ? (
            <small className="field-error" role="alert">
              {errors.upgrade_all}
            </small>
          ) : null}
          <div className="checkbox">
            <input
              id="mass-allow-downgrade"
              type="checkbox"
              checked={allowDowngrade}
              onChange={(event) => setAllowDowngrade(event.target.checked)}
              aria-describedby="mass-allow-downgrade-hint"
            />
            <span>
              <label htmlFor="mass-allow-downgrade">Also downgrade devices on a newer release</label>
              <br />
              <small id="mass-allow-downgrade-hint" className="muted">
                Without this, a device that runs a newer OpenWrt release than this build is skipped.
              </small>
            </span>
          </div>
        </section>

        <section aria-busy={dryRun.loading}>
          {plan === null ? (
            <>
              <h2 id="mass-devices">Devices to upgrade</h2>
              {dryRun.error ? <ErrorMessage error={dryRun.error} /> : <Loading what="Finding the devices to upgrade" />}
            </>
          ) : (
            <>
              {dryRun.error ? <ErrorMessage error={dryRun.error} /> : null}
              <DryRunView
                plan={plan}
                stale={stale}
                empty={
                  hasImages ? (
                    emptyReason(plan, upgradeAll, filters)
                  ) : (
                    <>
                      This build has no images yet, so no device can be upgraded.{' '}
                      <Link to={`/firmware/builds/${id}`}>Upload the images</Link> of your devices' models first.
                    </>
                  )
                }
              >
                {!upgradeAll && plan.firmwareless > 0 ? (
                  <p className="muted">
                    {plural(plan.firmwareless, 'more device')} not on a build of this category{' '}
                    {plan.firmwareless === 1 ? 'fits' : 'fit'} an image of this build: check “Also devices not on a
                    build of this category” to include {plan.firmwareless === 1 ? 'it' : 'them'}.
                  </p>
                ) : null}
              </DryRunView>
            </>
          )}
        </section>

        <section className="panel" style={{ marginTop: '1rem' }}>
          <h2 id="mass-rollout" style={{ marginTop: 0 }}>
            Rollout
          </h2>
          <RolloutFields form={rollout} onChange={setRollout} errors={errors} />
          <BatchWindowField
            organization={batchOrganization}
            value={windowId}
            onChange={setWindowId}
            error={errors.maintenance_window}
          />
          <BackupModeField value={backup} onChange={setBackup} error={problems.backup} />
          <BatchHealthCheckField value={healthCheck} onChange={setHealthCheck} error={problems.health_check} />
        </section>

        {/* Stays at the bottom of the window while the dry run above is long: launching needs no scrolling. */}
        <fieldset className="group sticky-actions" aria-label="Launch">
          <div className="actions">
            <button type="submit" className="primary" disabled={!canLaunch} aria-describedby="mass-launch-note">
              {launching ? 'Launching…' : 'Launch mass upgrade'}
            </button>
            <Link className="button" to={`/firmware/builds/${id}`}>
              Back to the build
            </Link>
          </div>
          <p id="mass-launch-note" className="muted">
            {!canWrite
              ? 'Only an admin of the organization can launch a mass upgrade.'
              : plan && plan.count > 0
                ? `Launching ` +
                  `starts ${plural(plan.count, 'upgrade')}${rollout.startAt ? ' at the chosen time' : ' now'}, stage ` +
                  `by stage${plan.downgrades > 0 ? ` (${plural(plan.downgrades, 'downgrade')})` : ''}; you can ` +
                  `pause or cancel it on its page.`
                : 'There is nothing to upgrade with these filters.'}
          </p>
          <ErrorMessage error={launchError} />
        </fieldset>
      </form>
    </>
  );
}

function emptyReason(plan: DryRunSummary, upgradeAll: boolean, filters: { group: string; location: string }): string {
  if (!upgradeAll && plan.firmwareless > 0 && plan.firmwareless === plan.skipped.length)
    return 'Nothing to upgrade among devices on a build of this category.';
  if (plan.skipped.length > 0) {
    const onBuild = plan.skipped.filter((skip) => skip.reason === 'already-on-build').length;
    if (onBuild === plan.skipped.length)
      return onBuild === 1
        ? 'Nothing to upgrade: the only matching device already runs this build.'
        : `Nothing to upgrade: all ${onBuild} matching devices already run this build.`;
    return (
      `Nothing to upgrade: every matching device is skipped. The reasons are listed below; fix them (or change ` +
      `the filters) to include the devices.`
    );
  }
  if (filters.group || filters.location)
    return 'No device matches the group and location filters: change or clear them.';
  return upgradeAll
    ? 'Nothing to upgrade: no device runs a build of this category, and no device has a board that fits an image of ' +
        "this build. Upload images for your routers' models, or wait for routers to register."
    : 'Nothing to upgrade: no device runs a build of this category yet. Check “Also devices not on a build of this ' +
        'category” to include devices whose board fits an image of this build.';
}

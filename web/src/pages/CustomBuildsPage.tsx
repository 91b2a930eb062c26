import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { api, call } from '../api/client';
import { AttachToFirmware } from '../components/builds/AttachToFirmware';
import { type BuildRequest, BuildRefused, packageNames, parseOverview, requestBuild } from '../components/builds/asu';
import { BuildStatus, useFollowBuild } from '../components/builds/BuildStatus';
import { ModelPicker } from '../components/builds/ModelPicker';
import { PackageEditor } from '../components/builds/PackageEditor';
import { ErrorMessage, Field, Loading, PageHeader } from '../components/ui';
import { useLoad } from '../hooks/useLoad';
import { useSession } from '../hooks/useSession';

/**
 * A custom OpenWrt image, like the firmware selector: version, target, model, packages; then the
 * build, followed live, its images; then, optionally, into a firmware build of the catalog.
 */
export function CustomBuildsPage() {
  const { canWrite } = useSession();
  const overview = useLoad(async () => parseOverview(await call(api.GET('/json/v1/overview.json'))), []);

  const [version, setVersion] = useState('');
  const [target, setTarget] = useState('');
  const [profileId, setProfileId] = useState('');
  const [removed, setRemoved] = useState<string[]>([]);
  const [added, setAdded] = useState<string[]>([]);

  // The newest release by default, once the versions are known.
  useEffect(() => {
    if (!overview.data || version) return;
    setVersion(
      overview.data.latest.find((entry) => overview.data!.versions.includes(entry)) ?? overview.data.versions[0] ?? '',
    );
  }, [overview.data, version]);
  const targets = useMemo(
    () => (overview.data && version ? overview.data.targetsOf(version) : []),
    [overview.data, version],
  );

  const [targetName, subtarget] = target.split('/');
  const profiles = useLoad(async () => {
    if (!version || !targetName || !subtarget) return null;
    return call(
      api.GET('/api/v1/profiles/{version}/{target}/{subtarget}', {
        params: { path: { version, target: targetName, subtarget } },
      }),
    );
  }, [version, targetName, subtarget]);
  const arch = profiles.data?.arch_packages;
  const packageIndex = useLoad(async () => {
    if (!arch || !version) return [];
    const file = `${arch}-index.json`;
    const document =
      version === 'SNAPSHOT'
        ? await call(api.GET('/json/v1/snapshots/packages/{file}', { params: { path: { file } } }))
        : await call(api.GET('/json/v1/releases/{version}/packages/{file}', { params: { path: { version, file } } }));
    return packageNames(document);
  }, [arch, version]);

  const profile = profiles.data?.profiles.find((entry) => entry.id === profileId);
  const defaults = useMemo(() => {
    if (!profiles.data || !profile) return [];
    const set = new Set(profiles.data.default_packages);
    for (const item of profile.device_packages) {
      if (item.startsWith('-')) set.delete(item.slice(1));
      else set.add(item);
    }
    return [...set].sort();
  }, [profiles.data, profile]);
  const packages = [...added, ...removed.map((item) => `-${item}`)];

  const build = useFollowBuild();
  const [requested, setRequested] = useState<BuildRequest | null>(null);
  const [requesting, setRequesting] = useState(false);
  const [requestError, setRequestError] = useState<unknown>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  const chooseVersion = (next: string) => {
    setVersion(next);
    const nextTargets = overview.data?.targetsOf(next) ?? [];
    if (!nextTargets.includes(target)) setTarget('');
    setProfileId('');
    setRemoved([]);
    setFields({});
  };
  const chooseTarget = (next: string) => {
    setTarget(next);
    setProfileId('');
    setRemoved([]);
    setFields({});
  };
  const chooseProfile = (next: string) => {
    setProfileId(next);
    setRemoved([]);
    setFields((current) => ({ ...current, profile: '' }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!version) problems.version = 'Choose a version.';
    if (!target) problems.target = 'Choose a target.';
    if (!profile) problems.profile = "Choose your router's model.";
    setFields(problems);
    setRequestError(null);
    if (Object.keys(problems).length > 0 || !profile) return;
    const request: BuildRequest = { version, target, profile: profile.id, packages };
    setRequesting(true);
    try {
      const answer = await requestBuild(request);
      setRequested(request);
      build.start(answer);
    } catch (caught) {
      if (caught instanceof BuildRefused) {
        const refused = caught.fields;
        setFields(refused);
        const extras = refusalExtras(caught);
        const named = Object.keys(refused).length > 0;
        setRequestError(
          new Error(
            named
              ? `The build request was refused: see above.${extras ? ` ${extras}` : ''}`
              : `${caught.message}${extras ? ` ${extras}` : ''}`,
          ),
        );
      } else {
        setRequestError(caught);
      }
    } finally {
      setRequesting(false);
    }
  };

  if (overview.data === undefined) {
    return (
      <>
        <PageHeader title="Custom builds" />
        {overview.error ? (
          <div style={{ overflowWrap: 'anywhere' }}>
            <ErrorMessage error={overview.error} />
            <p className="muted">
              Custom builds need this server to reach the OpenWrt download server (or its configured mirror).
            </p>
          </div>
        ) : (
          <Loading what="Loading the OpenWrt versions" />
        )}
      </>
    );
  }

  return (
    <>
      <PageHeader title="Custom builds" />
      <p className="muted">
        Build an OpenWrt image with your own package selection, like the firmware selector. The build runs on this
        server's ImageBuilder; the result can go straight into a firmware build for a mass upgrade.
      </p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <section className="panel">
          <h2 id="custom-release" style={{ marginTop: 0 }}>
            Release and target
          </h2>
          {overview.data.versions.length === 0 ? (
            <p className="error" role="alert">
              The server knows no OpenWrt version: its upstream cannot be reached.
            </p>
          ) : null}
          <div className="filters">
            <Field label="Version" error={fields.version || undefined} hint="The OpenWrt release to build.">
              {(id, describedBy) => (
                <select
                  id={id}
                  aria-describedby={describedBy}
                  value={version}
                  onChange={(event) => chooseVersion(event.target.value)}
                >
                  {version ? null : <option value="">Choose a version…</option>}
                  {overview.data!.versions.map((entry) => (
                    <option key={entry} value={entry}>
                      {entry}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              label="Target"
              error={fields.target || (profiles.error ? profiles.error.message : undefined)}
              hint="The SoC family and subtarget, e.g. ath79/generic."
            >
              {(id, describedBy) => (
                <select
                  id={id}
                  aria-describedby={describedBy}
                  value={target}
                  onChange={(event) => chooseTarget(event.target.value)}
                  disabled={targets.length === 0}
                >
                  <option value="">Choose a target…</option>
                  {targets.map((entry) => (
                    <option key={entry} value={entry}>
                      {entry}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        </section>

        {target ? (
          <section className="panel">
            <h2 id="custom-model" style={{ marginTop: 0 }}>
              Router model
            </h2>
            {profiles.data ? (
              <ModelPicker
                profiles={profiles.data.profiles}
                value={profileId}
                onChange={chooseProfile}
                error={fields.profile || undefined}
              />
            ) : profiles.error ? (
              <ErrorMessage error={profiles.error} />
            ) : (
              <Loading what="Loading the models of this target" />
            )}
          </section>
        ) : null}

        {profile ? (
          <section className="panel">
            <h2 id="custom-packages" style={{ marginTop: 0 }}>
              Packages
            </h2>
            <p className="muted" style={{ marginTop: 0 }}>
              The image gets the model's default packages, minus those you remove, plus those you add.
              {packageIndex.error ? ' (The package index could not be loaded: names are not suggested.)' : null}
            </p>
            <PackageEditor
              defaults={defaults}
              removed={removed}
              added={added}
              available={packageIndex.data ?? []}
              onChange={(next) => {
                setRemoved(next.removed);
                setAdded(next.added);
                setFields((current) => ({ ...current, packages: '' }));
              }}
              error={fields.packages || undefined}
            />
            <p className="muted">
              Request: {packages.length === 0 ? 'the defaults only' : <code>{packages.join(' ')}</code>}
            </p>
          </section>
        ) : null}

        <div className="actions">
          <button type="submit" className="primary" disabled={requesting || !profile}>
            {requesting ? 'Requesting…' : 'Request build'}
          </button>
        </div>
        {!profile ? <p className="muted">Choose a version, a target and a model to request a build.</p> : null}
        <ErrorMessage error={requestError} />
      </form>

      {build.answer && requested ? (
        <section className="panel" style={{ marginTop: '1rem' }}>
          <h2 id="custom-build" style={{ marginTop: 0 }}>
            Build of {requested.profile} ({requested.target}, OpenWrt {requested.version})
          </h2>
          <BuildStatus answer={build.answer} lastStage={build.lastStage} error={build.error} />
        </section>
      ) : null}

      {build.answer && requested && build.answer.status !== 500 && canWrite ? (
        <section className="panel">
          <h2 id="custom-attach" style={{ marginTop: 0 }}>
            Attach to a firmware build
          </h2>
          <AttachToFirmware request={requested} />
        </section>
      ) : null}
    </>
  );
}

/** What a refusal adds beyond its sentence: unknown packages and their suggested new names, when to retry. */
function refusalExtras(refusal: BuildRefused): string {
  const parts: string[] = [];
  const suggestions = refusal.body.suggestions;
  if (suggestions && typeof suggestions === 'object') {
    const renames = Object.entries(suggestions as Record<string, unknown>).map(
      ([from, to]) => `${from} → ${Array.isArray(to) ? to.join(' or ') : String(to)}`,
    );
    if (renames.length > 0) parts.push(`Did you mean: ${renames.join(', ')}?`);
  }
  if (refusal.retryAfter) parts.push(`Try again in ${refusal.retryAfter} s.`);
  return parts.join(' ');
}

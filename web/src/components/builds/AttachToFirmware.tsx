import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError, call } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../hooks/useLoad';
import { useOrganizationFilter } from '../../hooks/useSession';
import { ErrorMessage, Field, Loading, StatusBadge } from '../ui';
import type { BuildRequest } from './asu';

type AttachAnswer =
  paths['/api/v1/firmware/build/{id}/custom-images/']['post']['responses'][202]['content']['application/json'];

/**
 * Puts the custom image into the firmware catalog: the same request, for the chosen firmware build.
 * The server builds (or takes the cached build) and adds the sysupgrade image to the firmware build.
 */
export function AttachToFirmware({ request }: { request: BuildRequest }) {
  const organizationFilter = useOrganizationFilter();
  const builds = useLoad(
    () => call(api.GET('/api/v1/firmware/build/', { params: { query: { ...organizationFilter, page_size: 100 } } })),
    [organizationFilter.organization],
  );
  const [buildId, setBuildId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [result, setResult] = useState<{ buildId: string; answer: AttachAnswer } | null>(null);

  const attach = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setResult(null);
    if (!buildId) {
      setFieldError('Choose the firmware build to add the image to.');
      return;
    }
    setFieldError(undefined);
    setBusy(true);
    try {
      const answer = await call(
        api.POST('/api/v1/firmware/build/{id}/custom-images/', {
          params: { path: { id: buildId } },
          body: {
            packages: request.packages,
            openwrt_version: request.version,
            profiles: [{ target: request.target, profile: request.profile }],
          },
        }),
      );
      setResult({ buildId, answer });
    } catch (caught) {
      const fields = caught instanceof ApiError ? caught.fields : {};
      const own = fields.id ?? fields.build ?? fields.openwrt_version;
      if (own) setFieldError(own);
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const selected = builds.data?.results.find((build) => build.id === buildId);
  return (
    <form onSubmit={(event) => void attach(event)} noValidate>
      <p className="muted" style={{ marginTop: 0 }}>
        Adds this image ({request.profile}, OpenWrt {request.version}) to a firmware build of your catalog, ready for a
        mass upgrade of the routers of this model.
      </p>
      {builds.data === undefined ? (
        builds.error ? (
          <ErrorMessage error={builds.error} />
        ) : (
          <Loading what="Loading the firmware builds" />
        )
      ) : builds.data.results.length === 0 ? (
        <p className="muted">
          There is no firmware build yet: create one in <Link to="/firmware">Firmware</Link> first.
        </p>
      ) : (
        <div className="filters">
          <Field label="Firmware build" error={fieldError}>
            {(id, describedBy) => (
              <select
                id={id}
                aria-describedby={describedBy}
                value={buildId}
                onChange={(event) => setBuildId(event.target.value)}
              >
                <option value="">Choose a build…</option>
                {builds.data!.results.map((build) => (
                  <option key={build.id} value={build.id}>
                    {build.category_relation.name} — {build.version}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="field">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Attaching…' : 'Attach'}
            </button>
          </div>
        </div>
      )}
      <ErrorMessage error={error} />
      {result ? (
        <AttachResult
          buildId={result.buildId}
          buildName={selected ? `${selected.category_relation.name} ${selected.version}` : 'the build'}
          answer={result.answer}
        />
      ) : null}
    </form>
  );
}

function AttachResult({ buildId, buildName, answer }: { buildId: string; buildName: string; answer: AttachAnswer }) {
  const build = <Link to={`/firmware/builds/${buildId}`}>{buildName}</Link>;
  return (
    <div role="status">
      {answer.requested.map((entry) => (
        <p key={entry.id}>
          <StatusBadge status={entry.status} />{' '}
          {entry.status === 'attached' ? (
            <>The image is attached to {build}: you can now mass-upgrade from there.</>
          ) : entry.status === 'building' ? (
            <>Still building: the image will be attached to {build} by itself when the build is done.</>
          ) : (
            <>Not attached: {entry.detail || 'the build failed.'}</>
          )}
        </p>
      ))}
      {answer.skipped.map((entry, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: skipped entries have no id; one answer, never reordered
        <p key={index} className="error">
          Skipped {entry.profile ?? entry.board ?? 'a model'}: {entry.reason}
        </p>
      ))}
    </div>
  );
}

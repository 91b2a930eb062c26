import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, call } from '../../api/client';
import { useLoad } from '../../hooks/useLoad';
import { DataTable } from '../DataTable';
import { EmptyState, ErrorMessage, Field, formatDate, Loading, StatusBadge } from '../ui';
import { Boards, fieldError, FormError } from './common';
import { type EmbedAgentChoice, EmbedAgentFields } from './EmbedAgentFields';
import { RequestSummary } from './RequestSummary';
import type { CustomImage, CustomImagesAnswer, Image } from './types';

const POLL_MS = 2000;
const WRAP_ANYWHERE = { overflowWrap: 'anywhere' } as const;

/** "luci, wireguard-tools -ppp" → ["luci", "wireguard-tools", "-ppp"]. */
function parsePackages(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

/**
 * "ath79/generic tplink_archer-c7-v2", one model per line → [{target, profile}]; a line that is
 * not two words is an error to show next to the field.
 */
function parseModels(text: string): { models: { target: string; profile: string }[]; problem?: string } {
  const models: { target: string; profile: string }[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) continue;
    const [target, profile] = words;
    if (words.length !== 2 || !target || !profile || !target.includes('/')) {
      return {
        models,
        problem: `Line ${index + 1}: write the target and the profile, e.g. "ath79/generic tplink_archer-c7-v2".`,
      };
    }
    models.push({ target, profile });
  }
  return { models };
}

/** Newly requested entries replace the listed ones with the same id and come first. */
function merge(current: CustomImage[], requested: CustomImage[]): CustomImage[] {
  const ids = new Set(requested.map((entry) => entry.id));
  return [...requested, ...current.filter((entry) => !ids.has(entry.id))];
}

/**
 * Custom images for the fleet: fleetflash builds one image per router model of the fleet that
 * runs this category, with the packages asked for, and adds each to the build as it finishes.
 * While any is building, the list is asked again every 2 s; when one gets attached, `onAttached`
 * reloads the build's images.
 */
export function CustomImages({
  buildId,
  images,
  mayWrite,
  onAttached,
}: {
  buildId: string;
  /** The build's images as listed, to link the attached ones (undefined while loading). */
  images: Image[] | undefined;
  mayWrite: boolean;
  onAttached: () => void;
}) {
  const list = useLoad(
    () => call(api.GET('/api/v1/firmware/build/{id}/custom-images/', { params: { path: { id: buildId } } })),
    [buildId],
  );
  const entries = list.data?.results ?? [];
  const building = entries.some((entry) => entry.status === 'building');
  const { reload } = list;

  // Poll while something builds: one request at a time, the next 2 s after the last answer.
  // biome-ignore lint/correctness/useExhaustiveDependencies: each answer (data or error) schedules the next poll
  useEffect(() => {
    if (!building) return undefined;
    const timer = setTimeout(() => void reload(), POLL_MS);
    return () => clearTimeout(timer);
  }, [building, list.data, list.error, reload]);

  // An attached image the images table does not show yet: reload it (once per image).
  const reloadedFor = useRef(new Set<string>());
  useEffect(() => {
    if (!images) return;
    const shown = new Set(images.map((image) => image.id));
    const missing = entries.filter(
      (entry) => entry.image !== null && !shown.has(entry.image) && !reloadedFor.current.has(entry.image),
    );
    if (missing.length === 0) return;
    for (const entry of missing) reloadedFor.current.add(entry.image!);
    onAttached();
  }, [entries, images, onAttached]);

  const [answer, setAnswer] = useState<CustomImagesAnswer | null>(null);
  const onRequested = (result: CustomImagesAnswer) => {
    setAnswer(result);
    list.setData((current) => ({ results: merge(current?.results ?? [], result.requested) }));
  };

  return (
    <section aria-labelledby="custom-images-title">
      <h2 id="custom-images-title">Custom images</h2>
      <p>
        fleetflash can build an image for every router model of your fleet that runs this category, with extra packages
        (or fewer). Each finished image is added to this build's images, ready for a mass upgrade. Images already in the
        build cache are added at once; the others take a few minutes.
      </p>
      {mayWrite ? <CustomImagesForm buildId={buildId} onRequested={onRequested} /> : null}
      {answer ? <RequestSummary answer={answer} /> : null}
      <ErrorMessage error={list.data ? null : list.error} />
      {!list.data ? (
        list.loading ? (
          <Loading what="Loading custom images" />
        ) : null
      ) : entries.length === 0 ? (
        <EmptyState>
          <p>
            No custom images for this build yet.
            {mayWrite
              ? ' List the packages to add above and choose “Build custom images”.'
              : ' An organization admin can request them.'}
          </p>
        </EmptyState>
      ) : (
        <>
          <h3>Requested custom images</h3>
          <CustomImagesTable entries={entries} images={images} />
        </>
      )}
      {building ? (
        <p className="muted" aria-live="polite">
          Building… this list updates by itself.
        </p>
      ) : null}
    </section>
  );
}

function CustomImagesForm({
  buildId,
  onRequested,
}: {
  buildId: string;
  onRequested: (answer: CustomImagesAnswer) => void;
}) {
  const [packages, setPackages] = useState('');
  const [diffPackages, setDiffPackages] = useState(false);
  const [models, setModels] = useState('');
  const [modelsProblem, setModelsProblem] = useState<string | undefined>(undefined);
  const [agent, setAgent] = useState<EmbedAgentChoice>({ embed: false, secret: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseModels(models);
    setModelsProblem(parsed.problem);
    setError(null);
    if (parsed.problem) return;
    setBusy(true);
    try {
      const answer = await call(
        api.POST('/api/v1/firmware/build/{id}/custom-images/', {
          params: { path: { id: buildId } },
          body: {
            packages: parsePackages(packages),
            diff_packages: diffPackages,
            ...(parsed.models.length > 0 ? { profiles: parsed.models } : {}),
            ...(agent.embed ? { embed_agent: true, registration_secret: agent.secret } : {}),
          },
        }),
      );
      onRequested(answer);
      // The secret went into the request: it does not stay in the page.
      setAgent((current) => ({ ...current, secret: '' }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel" aria-label="Build custom images" onSubmit={(event) => void submit(event)}>
      <Field
        label="Packages"
        error={fieldError(error, 'packages')}
        hint={
          <>
            Space- or comma-separated, e.g. <code>luci wireguard-tools</code>; <code>-name</code> removes a package.
            Leave empty for the standard images.
          </>
        }
      >
        {(id, describedBy) => (
          <input
            id={id}
            aria-describedby={describedBy}
            spellCheck={false}
            autoCapitalize="off"
            value={packages}
            onChange={(event) => setPackages(event.target.value)}
          />
        )}
      </Field>
      <label className="checkbox">
        <input type="checkbox" checked={diffPackages} onChange={(event) => setDiffPackages(event.target.checked)} />
        <span>Only these packages (remove defaults not listed)</span>
      </label>
      {fieldError(error, 'diff_packages') ? (
        <small className="field-error" role="alert">
          {fieldError(error, 'diff_packages')}
        </small>
      ) : null}
      <Field
        label="Models"
        error={modelsProblem ?? fieldError(error, 'profiles')}
        hint={
          <>
            Optional: one per line, the target and the profile, e.g. <code>ath79/generic tplink_archer-c7-v2</code>.
            Leave empty to build for every model of the fleet that runs this category.
          </>
        }
      >
        {(id, describedBy) => (
          <textarea
            id={id}
            aria-describedby={describedBy}
            rows={2}
            spellCheck={false}
            autoCapitalize="off"
            style={{ minHeight: '3rem' }}
            value={models}
            onChange={(event) => setModels(event.target.value)}
          />
        )}
      </Field>
      <EmbedAgentFields value={agent} onChange={setAgent} error={error} />
      <FormError
        error={error}
        fields={['packages', 'diff_packages', 'profiles', 'embed_agent', 'registration_secret']}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Requesting…' : 'Build custom images'}
        </button>
      </div>
    </form>
  );
}

function CustomImagesTable({ entries, images }: { entries: CustomImage[]; images: Image[] | undefined }) {
  return (
    <DataTable<CustomImage>
      rows={entries}
      rowKey={(entry) => entry.id}
      rowProps={(entry) => ({ 'data-profile': entry.profile })}
      columns={[
        { header: 'Profile', cell: (entry) => entry.profile, cellProps: () => ({ style: WRAP_ANYWHERE }) },
        { header: 'Target', className: 'hide-narrow', cell: (entry) => entry.target },
        {
          header: 'Boards',
          className: 'hide-narrow',
          cell: (entry) => <Boards boards={entry.boards} />,
          cellProps: () => ({ style: WRAP_ANYWHERE }),
        },
        {
          header: 'Status',
          cell: (entry) => (
            <>
              <StatusBadge status={entry.status} />
              {entry.status === 'failed' && entry.detail ? (
                <p className="field-error" style={{ margin: '0.25rem 0 0' }}>
                  {entry.detail}
                </p>
              ) : null}
            </>
          ),
        },
        {
          header: 'Image',
          cell: (entry) => {
            const image = entry.image ? images?.find((candidate) => candidate.id === entry.image) : undefined;
            if (image) {
              return (
                <a href={image.file} download={image.file_name} title={image.type}>
                  Download<span className="visually-hidden"> {image.type}</span>
                </a>
              );
            }
            return entry.image ? <span className="muted">Added to the build</span> : <span className="muted">—</span>;
          },
        },
        { header: 'Requested', className: 'hide-narrow', cell: (entry) => formatDate(entry.created) },
      ]}
    />
  );
}

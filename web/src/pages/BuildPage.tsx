import { useCallback, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, call } from '../api/client';
import { ConfirmPanel, useDisclosure, useMayWrite } from '../components/firmware/common';
import { CustomImages } from '../components/firmware/CustomImages';
import { BuildForm, buildBody, type BuildDraft } from '../components/firmware/forms';
import { ImagesTable } from '../components/firmware/ImagesTable';
import { ImageUpload } from '../components/firmware/ImageUpload';
import type { Build, Image, ImageList } from '../components/firmware/types';
import { EmptyState, ErrorMessage, formatDate, Loading, PageHeader, Pagination } from '../components/ui';
import { BuildBatches } from '../components/upgrades/BuildBatches';
import { useLoad } from '../hooks/useLoad';
import { useSession } from '../hooks/useSession';

const IMAGE_PAGE_SIZE = 100;

/** One firmware build: details, editing and deleting it, its images, uploads and custom images. */
export function BuildPage() {
  const { id = '' } = useParams();
  // A new build id starts over (image page, open forms, upload).
  return <BuildView key={id} id={id} />;
}

function byType(a: Image, b: Image): number {
  return a.type.localeCompare(b.type);
}

function BuildView({ id }: { id: string }) {
  const navigate = useNavigate();
  const { canWrite } = useSession();
  const build = useLoad(() => call(api.GET('/api/v1/firmware/build/{id}/', { params: { path: { id } } })), [id]);
  const [imagePage, setImagePage] = useState(1);
  const images = useLoad(
    () =>
      call(
        api.GET('/api/v1/firmware/build/{id}/image/', {
          params: { path: { id }, query: { page: imagePage, page_size: IMAGE_PAGE_SIZE } },
        }),
      ),
    [id, imagePage],
  );
  const mayWrite = useMayWrite(build.data?.organization);
  const edit = useDisclosure();
  const remove = useDisclosure();
  const { reload: reloadImages, setData: setImages } = images;
  const onAttached = useCallback(() => void reloadImages(), [reloadImages]);

  if (!build.data) {
    return (
      <>
        <PageHeader title="Build" back={{ to: '/firmware', label: 'Firmware' }} />
        {build.loading ? <Loading what="Loading the build" /> : <ErrorMessage error={build.error} />}
      </>
    );
  }
  const current = build.data;
  const imageCount = images.data?.count ?? 0;

  const save = async (draft: BuildDraft) => {
    const updated = await call(
      api.PATCH('/api/v1/firmware/build/{id}/', { params: { path: { id } }, body: buildBody(draft) }),
    );
    build.setData(updated);
    edit.setOpen(false);
  };
  const destroy = async () => {
    await call(api.DELETE('/api/v1/firmware/build/{id}/', { params: { path: { id } } }));
    await navigate(`/firmware/categories/${current.category}`, { replace: true });
  };
  const onUploaded = (image: Image) => {
    setImages((list: ImageList | undefined) => ({
      count: (list?.count ?? 0) + 1,
      next: list?.next ?? null,
      previous: list?.previous ?? null,
      results: [...(list?.results ?? []).filter((known) => known.id !== image.id), image].sort(byType),
    }));
  };
  const onDeleted = (imageId: string) => {
    setImages((list: ImageList | undefined) => ({
      count: Math.max(0, (list?.count ?? 1) - 1),
      next: list?.next ?? null,
      previous: list?.previous ?? null,
      results: (list?.results ?? []).filter((known) => known.id !== imageId),
    }));
  };
  const busy = edit.open || remove.open;

  return (
    <>
      <PageHeader
        title={`${current.category_relation.name} ${current.version}`}
        back={{ to: `/firmware/categories/${current.category}`, label: current.category_relation.name }}
        actions={
          <>
            {canWrite && imageCount > 0 ? (
              <Link className="button primary" to={`/firmware/builds/${id}/upgrade`}>
                Mass upgrade…
              </Link>
            ) : null}
            {mayWrite && !busy ? (
              <>
                <button type="button" ref={edit.trigger} onClick={() => edit.setOpen(true)}>
                  Edit
                </button>
                <button type="button" className="danger" ref={remove.trigger} onClick={() => remove.setOpen(true)}>
                  Delete
                </button>
              </>
            ) : null}
          </>
        }
      />
      {remove.open ? (
        <ConfirmPanel
          title={`Delete the build ${current.version}?`}
          confirmLabel="Delete build"
          onConfirm={destroy}
          onCancel={() => remove.setOpen(false)}
        >
          <p>
            This deletes the build with{' '}
            {imageCount === 0 ? 'its images' : imageCount === 1 ? 'its image' : `its ${imageCount} images`} (and the
            image files no other build uses). Devices already running it keep running it. It cannot be undone.
          </p>
        </ConfirmPanel>
      ) : null}
      {edit.open ? (
        <section aria-labelledby="edit-build-title">
          <h2 id="edit-build-title">Edit the build</h2>
          <BuildForm
            label="Edit the build"
            initial={{ version: current.version, os: current.os ?? '', changelog: current.changelog }}
            submitLabel="Save"
            onSubmit={save}
            onCancel={() => edit.setOpen(false)}
          />
        </section>
      ) : (
        <BuildDetails build={current} />
      )}

      <section aria-labelledby="images-title">
        <h2 id="images-title">Images</h2>
        <ErrorMessage error={images.error} />
        {!images.data ? (
          images.loading ? (
            <Loading what="Loading images" />
          ) : null
        ) : images.data.count === 0 ? (
          <EmptyState>
            {mayWrite ? (
              <p>
                No images yet: upload the sysupgrade image of each router model this build supports (below), or build
                custom images for your fleet.
              </p>
            ) : (
              <p>No images yet: an organization admin uploads them.</p>
            )}
          </EmptyState>
        ) : (
          <>
            <ImagesTable buildId={id} images={images.data.results} mayWrite={mayWrite} onDeleted={onDeleted} />
            <Pagination page={imagePage} pageSize={IMAGE_PAGE_SIZE} count={images.data.count} onPage={setImagePage} />
          </>
        )}
        {mayWrite ? (
          <>
            <h3>Upload an image</h3>
            <ImageUpload buildId={id} onUploaded={onUploaded} />
          </>
        ) : null}
      </section>

      <BuildBatches buildId={id} version={current.version} />

      <CustomImages buildId={id} images={images.data?.results} mayWrite={mayWrite} onAttached={onAttached} />
    </>
  );
}

function BuildDetails({ build }: { build: Build }) {
  return (
    <section className="panel" aria-label="Details">
      <dl className="kv">
        <dt>Version</dt>
        <dd>{build.version}</dd>
        <dt>OS identifier</dt>
        <dd>
          {build.os ?? (
            <span className="muted">
              Not set. Set it to the OS string devices report, so fleetflash knows which devices run this build.
            </span>
          )}
        </dd>
        <dt>Category</dt>
        <dd>
          <Link to={`/firmware/categories/${build.category}`}>{build.category_relation.name}</Link>
        </dd>
        <dt>Devices running it</dt>
        <dd id="build-device-count">{build.device_count === 1 ? '1 device' : `${build.device_count} devices`}</dd>
        <dt>Created</dt>
        <dd>{formatDate(build.created)}</dd>
        <dt>Changelog</dt>
        <dd>
          {build.changelog ? (
            <pre style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0 }}>{build.changelog}</pre>
          ) : (
            <span className="muted">None</span>
          )}
        </dd>
      </dl>
    </section>
  );
}

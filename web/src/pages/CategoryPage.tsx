import { useNavigate, useParams, useSearchParams } from 'react-router';
import { api, call } from '../api/client';
import { BuildsTable } from '../components/firmware/BuildsTable';
import { ConfirmPanel, useDisclosure, useMayWrite, useOrganizations } from '../components/firmware/common';
import { BuildForm, buildBody, type BuildDraft, CategoryForm, type CategoryDraft } from '../components/firmware/forms';
import type { BuildList, Category } from '../components/firmware/types';
import { EmptyState, ErrorMessage, formatDate, Loading, PageHeader, Pagination } from '../components/ui';
import { type Loaded, useLoad } from '../hooks/useLoad';
import { useSession } from '../hooks/useSession';

const BUILD_PAGE_SIZE = 20;

/** One firmware category: its details, editing and deleting it, its builds and a new build. */
export function CategoryPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const category = useLoad(() => call(api.GET('/api/v1/firmware/category/{id}/', { params: { path: { id } } })), [id]);
  const builds = useLoad(
    () =>
      call(
        api.GET('/api/v1/firmware/build/', { params: { query: { category: id, page, page_size: BUILD_PAGE_SIZE } } }),
      ),
    [id, page],
  );
  const mayWrite = useMayWrite(category.data?.organization);
  const organizationId = category.data?.organization ?? null;
  const healthChecks = useLoad(
    () =>
      organizationId === null
        ? Promise.resolve(null)
        : call(api.GET('/api/v1/health-checks/', { params: { query: { page_size: 100 } } })).then((page) =>
            page.results.filter((check) => check.organization === organizationId),
          ),
    [organizationId],
  );
  const edit = useDisclosure();
  const remove = useDisclosure();

  if (!category.data) {
    return (
      <>
        <PageHeader title="Category" back={{ to: '/firmware', label: 'Firmware' }} />
        {category.loading ? <Loading what="Loading the category" /> : <ErrorMessage error={category.error} />}
      </>
    );
  }
  const current = category.data;
  const buildCount = builds.data?.count;

  const save = async (draft: CategoryDraft) => {
    const updated = await call(
      api.PATCH('/api/v1/firmware/category/{id}/', {
        params: { path: { id } },
        body: {
          name: draft.name.trim(),
          description: draft.description,
          ...(current.organization === null ? {} : { health_check: draft.healthCheck || null }),
        },
      }),
    );
    category.setData(updated);
    edit.setOpen(false);
  };
  const destroy = async () => {
    await call(api.DELETE('/api/v1/firmware/category/{id}/', { params: { path: { id } } }));
    await navigate('/firmware', { replace: true });
  };
  const busy = edit.open || remove.open;

  return (
    <>
      <PageHeader
        title={current.name}
        back={{ to: '/firmware', label: 'Firmware' }}
        actions={
          mayWrite && !busy ? (
            <>
              <button type="button" ref={edit.trigger} onClick={() => edit.setOpen(true)}>
                Edit
              </button>
              <button type="button" className="danger" ref={remove.trigger} onClick={() => remove.setOpen(true)}>
                Delete
              </button>
            </>
          ) : undefined
        }
      />
      {remove.open ? (
        <ConfirmPanel
          title={`Delete the category “${current.name}”?`}
          confirmLabel="Delete category"
          onConfirm={destroy}
          onCancel={() => remove.setOpen(false)}
        >
          <p>
            This deletes the category with{' '}
            {buildCount === undefined
              ? 'all its builds'
              : buildCount === 1
                ? 'its ' + 'build'
                : `its ${buildCount} builds`}{' '}
            and all their images (and the image files no other build uses). It cannot be undone.
          </p>
        </ConfirmPanel>
      ) : null}
      {edit.open ? (
        <section aria-labelledby="edit-category-title">
          <h2 id="edit-category-title">Edit the category</h2>
          <CategoryForm
            label="Edit the category"
            initial={{
              name: current.name,
              description: current.description,
              organization: current.organization ?? '',
              healthCheck: current.health_check ?? '',
            }}
            healthChecks={healthChecks.data ?? undefined}
            submitLabel="Save"
            onSubmit={save}
            onCancel={() => edit.setOpen(false)}
          />
        </section>
      ) : (
        <CategoryDetails category={current} healthChecks={healthChecks.data ?? []} />
      )}
      <CategoryBuilds
        category={current}
        builds={builds}
        page={page}
        onPage={(next) => setParams(next > 1 ? { page: String(next) } : {})}
        mayWrite={mayWrite}
      />
    </>
  );
}

function CategoryDetails({
  category,
  healthChecks,
}: {
  category: Category;
  healthChecks: { id: string; name: string }[];
}) {
  const { me } = useSession();
  const { nameOf } = useOrganizations();
  const several = Boolean(me && (me.is_superuser || me.memberships.length > 1));
  return (
    <section className="panel" aria-label="Details">
      <dl className="kv">
        <dt>Description</dt>
        <dd>
          {category.description ? (
            <span style={{ whiteSpace: 'pre-wrap' }}>{category.description}</span>
          ) : (
            <span className="muted">None</span>
          )}
        </dd>
        {several || category.organization === null ? (
          <>
            <dt>Organization</dt>
            <dd>
              {category.organization === null
                ? 'Shared: readable by every organization'
                : nameOf(category.organization)}
            </dd>
          </>
        ) : null}
        {category.organization !== null ? (
          <>
            <dt>Default health check</dt>
            <dd data-testid="category-health-check">
              {category.health_check
                ? (healthChecks.find((check) => check.id === category.health_check)?.name ?? '…')
                : 'None'}
            </dd>
          </>
        ) : null}
        <dt>Created</dt>
        <dd>{formatDate(category.created)}</dd>
        <dt>Modified</dt>
        <dd>{formatDate(category.modified)}</dd>
      </dl>
    </section>
  );
}

function CategoryBuilds({
  category,
  builds,
  page,
  onPage,
  mayWrite,
}: {
  category: Category;
  builds: Loaded<BuildList>;
  page: number;
  onPage: (page: number) => void;
  mayWrite: boolean;
}) {
  const navigate = useNavigate();
  const create = useDisclosure();
  const submit = async (draft: BuildDraft) => {
    const created = await call(
      api.POST('/api/v1/firmware/build/', { body: { category: category.id, ...buildBody(draft) } }),
    );
    await navigate(`/firmware/builds/${created.id}`);
  };
  return (
    <section aria-labelledby="builds-title">
      <div className="page-header-row">
        <h2 id="builds-title">Builds</h2>
        {mayWrite && !create.open ? (
          <button type="button" className="primary" ref={create.trigger} onClick={() => create.setOpen(true)}>
            New build
          </button>
        ) : null}
      </div>
      {create.open ? (
        <BuildForm
          label="New build"
          initial={{ version: '', os: '', changelog: '' }}
          submitLabel="Create build"
          onSubmit={submit}
          onCancel={() => create.setOpen(false)}
        />
      ) : null}
      <ErrorMessage error={builds.error} />
      {!builds.data ? (
        builds.loading ? (
          <Loading what="Loading builds" />
        ) : null
      ) : builds.data.count === 0 ? (
        <EmptyState>
          {mayWrite ? (
            <p>
              No builds yet: create one for each firmware release of this category with “New build”, then upload its
              images.
            </p>
          ) : (
            <p>No builds yet in this category.</p>
          )}
        </EmptyState>
      ) : (
        <>
          <BuildsTable builds={builds.data.results} />
          <Pagination page={page} pageSize={BUILD_PAGE_SIZE} count={builds.data.count} onPage={onPage} />
        </>
      )}
    </section>
  );
}

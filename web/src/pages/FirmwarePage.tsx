import { type FormEvent, useState } from 'react';
import { BuildsTable } from '../components/firmware/BuildsTable';
import { useNavigate } from 'react-router';
import { api, call } from '../api/client';
import {
  type OrganizationChoice,
  useDisclosure,
  useOrganizations,
  useSeveralOrganizations,
} from '../components/firmware/common';
import { CategoryForm, type CategoryDraft, type OrganizationSelect } from '../components/firmware/forms';
import type { Category } from '../components/firmware/types';
import { DataTable, optionalColumn } from '../components/DataTable';
import { EmptyState, ErrorMessage, Field, formatDate, Loading, PageHeader, Pagination } from '../components/ui';
import { useLoad } from '../hooks/useLoad';
import { useUrlParams } from '../hooks/useUrlParams';
import { useOrganizationFilter, useSession } from '../hooks/useSession';

const CATEGORY_PAGE_SIZE = 20;
const BUILD_PAGE_SIZE = 20;

/** The firmware catalog: categories (one per family of firmware), then the latest builds of all of them. */
export function FirmwarePage() {
  const { canWrite } = useSession();
  const newCategory = useDisclosure();
  const organizations = useOrganizations();
  return (
    <>
      <PageHeader
        title="Firmware"
        actions={
          canWrite && !newCategory.open ? (
            <button
              type="button"
              className="primary"
              ref={newCategory.trigger}
              onClick={() => newCategory.setOpen(true)}
            >
              New category
            </button>
          ) : undefined
        }
      />
      {newCategory.open ? (
        <NewCategory organizations={organizations.organizations} onCancel={() => newCategory.setOpen(false)} />
      ) : null}
      <Categories nameOf={organizations.nameOf} />
      <LatestBuilds nameOf={organizations.nameOf} />
    </>
  );
}

function shortText(text: string, length = 120): string {
  const firstLine = text.split('\n', 1)[0] ?? '';
  return firstLine.length > length ? `${firstLine.slice(0, length - 1)}…` : firstLine;
}

function NewCategory({ organizations, onCancel }: { organizations: OrganizationChoice[]; onCancel: () => void }) {
  const navigate = useNavigate();
  const { me, organization } = useSession();
  if (!me) return null;
  // Superusers and members of several organizations say where the category goes; for a single
  // organization the server takes it.
  let organizationSelect: OrganizationSelect | undefined;
  if (me.is_superuser) {
    organizationSelect = { options: organizations, allowShared: true };
  } else if (me.memberships.length > 1) {
    const administered = new Set(
      me.memberships.filter((membership) => membership.role === 'admin').map((membership) => membership.organization),
    );
    organizationSelect = { options: organizations.filter((choice) => administered.has(choice.id)), allowShared: false };
  }
  const options = organizationSelect?.options ?? [];
  // A new category goes to the organization being looked at; with "All organizations", to the user's
  // own (the first they administer) or the only choice. Shared is chosen on purpose, never by default.
  const ownIds = new Set(
    me.memberships.filter((membership) => membership.role === 'admin').map((membership) => membership.organization),
  );
  const preselected =
    options.find((choice) => choice.slug === organization) ??
    (organization === null ? options.find((choice) => ownIds.has(choice.id)) : undefined) ??
    (options.length === 1 && !organizationSelect?.allowShared ? options[0] : undefined);
  const create = async (draft: CategoryDraft) => {
    const body: { name: string; description: string; organization?: string | null } = {
      name: draft.name.trim(),
      description: draft.description,
    };
    if (organizationSelect) body.organization = draft.organization || null;
    const created = await call(api.POST('/api/v1/firmware/category/', { body }));
    await navigate(`/firmware/categories/${created.id}`);
  };
  return (
    <section aria-labelledby="new-category-title">
      <h2 id="new-category-title">New category</h2>
      <CategoryForm
        // Superusers' organizations arrive after a moment: start over with the preselection then.
        key={preselected?.id ?? ''}
        label="New category"
        initial={{ name: '', description: '', organization: preselected?.id ?? '' }}
        submitLabel="Create category"
        organizationSelect={organizationSelect}
        onSubmit={create}
        onCancel={onCancel}
      />
    </section>
  );
}

function Categories({ nameOf }: { nameOf: (id: string | null) => string }) {
  const { canWrite, organization } = useSession();
  const organizationFilter = useOrganizationFilter();
  const several = useSeveralOrganizations();
  // The page number belongs to the organization filter it was chosen under.
  const [paging, setPaging] = useState({ organization, page: 1 });
  const page = paging.organization === organization ? paging.page : 1;
  const categories = useLoad(
    () =>
      call(
        api.GET('/api/v1/firmware/category/', {
          params: { query: { ...organizationFilter, page, page_size: CATEGORY_PAGE_SIZE } },
        }),
      ),
    [organization, page],
  );
  return (
    <section aria-labelledby="categories-title">
      <h2 id="categories-title">Categories</h2>
      <ErrorMessage error={categories.error} />
      {!categories.data ? (
        categories.loading ? (
          <Loading what="Loading categories" />
        ) : null
      ) : categories.data.count === 0 ? (
        <EmptyState>
          {canWrite ? (
            <p>
              No categories yet: create one for each family of firmware you ship, e.g. one per product line. Use “New
              category” above.
            </p>
          ) : (
            <p>No categories yet. An organization admin creates one for each family of firmware you ship.</p>
          )}
        </EmptyState>
      ) : (
        <>
          <DataTable<Category>
            rows={categories.data.results}
            rowKey={(category) => category.id}
            rowLink={(category) => `/firmware/categories/${category.id}`}
            columns={[
              { header: 'Name', cell: (category) => category.name },
              {
                header: 'Description',
                className: 'hide-narrow',
                cell: (category) =>
                  category.description ? shortText(category.description) : <span className="muted">—</span>,
              },
              ...optionalColumn<Category>(several, {
                header: 'Organization',
                cell: (category) => nameOf(category.organization),
              }),
              { header: 'Created', className: 'hide-narrow', cell: (category) => formatDate(category.created) },
            ]}
          />
          <Pagination
            page={page}
            pageSize={CATEGORY_PAGE_SIZE}
            count={categories.data.count}
            onPage={(next) => setPaging({ organization, page: next })}
          />
        </>
      )}
    </section>
  );
}

/** The newest builds of every category, filtered by category and version (kept in the address). */
function LatestBuilds({ nameOf }: { nameOf: (id: string | null) => string }) {
  const { organization } = useSession();
  const organizationFilter = useOrganizationFilter();
  const several = useSeveralOrganizations();
  const [params, changeParams, setParams] = useUrlParams();
  const category = params.get('category') ?? '';
  const version = params.get('version') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [versionInput, setVersionInput] = useState(version);
  const [shownVersion, setShownVersion] = useState(version);
  if (shownVersion !== version) {
    // The address changed (back button, "Clear filters"): the field follows it.
    setShownVersion(version);
    setVersionInput(version);
  }

  const choices = useLoad(
    () => call(api.GET('/api/v1/firmware/category/', { params: { query: { ...organizationFilter, page_size: 100 } } })),
    [organization],
  );
  const builds = useLoad(
    () =>
      call(
        api.GET('/api/v1/firmware/build/', {
          params: {
            query: {
              ...organizationFilter,
              ...(category ? { category } : {}),
              ...(version ? { version } : {}),
              page,
              page_size: BUILD_PAGE_SIZE,
            },
          },
        }),
      ),
    [organization, category, version, page],
  );

  const setFilters = (changes: Record<string, string>) => {
    changeParams(
      (next) => {
        for (const [name, value] of Object.entries(changes)) {
          if (value) next.set(name, value);
          else next.delete(name);
        }
        if (!('page' in changes)) next.delete('page');
      },
      { replace: !('page' in changes) },
    );
  };
  const searchVersion = (event: FormEvent) => {
    event.preventDefault();
    setFilters({ version: versionInput.trim() });
  };
  const filtered = Boolean(category || version);
  const categoryOptions = choices.data?.results ?? [];
  const selectedMissing =
    category !== '' && choices.data !== undefined && !categoryOptions.some((choice) => choice.id === category);

  return (
    <section aria-labelledby="builds-title">
      <h2 id="builds-title">Latest builds</h2>
      <search aria-label="Filter builds">
        <form className="filters" onSubmit={searchVersion}>
          <Field label="Category">
            {(id) => (
              <select id={id} value={category} onChange={(event) => setFilters({ category: event.target.value })}>
                <option value="">All categories</option>
                {categoryOptions.map((choice) => (
                  <option key={choice.id} value={choice.id}>
                    {several ? `${choice.name} (${nameOf(choice.organization)})` : choice.name}
                  </option>
                ))}
                {selectedMissing ? <option value={category}>The chosen category</option> : null}
              </select>
            )}
          </Field>
          <Field label="Version">
            {(id) => (
              <input
                id={id}
                type="search"
                placeholder="e.g. 23.05.3"
                value={versionInput}
                onChange={(event) => setVersionInput(event.target.value)}
              />
            )}
          </Field>
          <div className="actions">
            <button type="submit">Search</button>
            {filtered ? (
              <button type="button" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
                Clear filters
              </button>
            ) : null}
          </div>
        </form>
      </search>
      <p className="muted visually-hidden" aria-live="polite">
        {builds.data ? `${builds.data.count} builds` : ''}
      </p>
      <ErrorMessage error={builds.error} />
      {!builds.data ? (
        builds.loading ? (
          <Loading what="Loading builds" />
        ) : null
      ) : builds.data.count === 0 ? (
        <EmptyState>
          {filtered ? (
            <p>No build matches these filters. The version must match exactly, e.g. 23.05.3.</p>
          ) : (
            <p>No builds yet: open a category and create a build for each firmware release, then upload its images.</p>
          )}
        </EmptyState>
      ) : (
        <>
          <BuildsTable builds={builds.data.results} showCategory organizationName={several ? nameOf : undefined} />
          <Pagination
            page={page}
            pageSize={BUILD_PAGE_SIZE}
            count={builds.data.count}
            onPage={(next) => setFilters({ page: String(next) })}
          />
        </>
      )}
    </section>
  );
}

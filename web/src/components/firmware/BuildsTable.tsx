import { Link } from 'react-router';
import { DataTable, optionalColumn } from '../DataTable';
import { formatDate } from '../ui';
import type { BuildList } from './types';

type Build = BuildList['results'][number];

/**
 * A page of builds: version (linked), optionally category and organization, OS identifier, how many
 * images and how many devices running it, created.
 */
export function BuildsTable({
  builds,
  showCategory = false,
  organizationName,
}: {
  builds: BuildList['results'];
  showCategory?: boolean;
  /** Given when the user sees several organizations: adds the column. */
  organizationName?: ((id: string | null) => string) | undefined;
}) {
  return (
    <DataTable<Build>
      rows={builds}
      rowKey={(build) => build.id}
      rowLink={(build) => `/firmware/builds/${build.id}`}
      columns={[
        { header: 'Version', cell: (build) => build.version },
        ...optionalColumn<Build>(showCategory, {
          header: 'Category',
          cell: (build) => <Link to={`/firmware/categories/${build.category}`}>{build.category_relation.name}</Link>,
        }),
        {
          header: 'OS identifier',
          className: 'hide-narrow',
          cell: (build) => build.os ?? <span className="muted">—</span>,
        },
        { header: 'Images', className: 'numeric', cell: (build) => build.image_count },
        {
          header: <abbr title="Devices that run one of its images">Devices</abbr>,
          className: 'numeric',
          cell: (build) => build.device_count,
        },
        ...optionalColumn<Build>(organizationName, {
          header: 'Organization',
          className: 'hide-narrow',
          cell: (build) => organizationName!(build.organization),
        }),
        {
          header: 'Created',
          className: showCategory ? 'hide-narrow' : undefined,
          cell: (build) => formatDate(build.created),
        },
      ]}
    />
  );
}

import { Link } from 'react-router';
import { formatDate } from '../ui';
import type { BuildList } from './types';

/** A page of builds: version (linked), optionally category and organization, OS identifier, created. */
export function BuildsTable({ builds, showCategory = false, organizationName }: {
  builds: BuildList['results'];
  showCategory?: boolean;
  /** Given when the user sees several organizations: adds the column. */
  organizationName?: ((id: string | null) => string) | undefined;
}) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Version</th>
            {showCategory ? <th scope="col">Category</th> : null}
            <th scope="col" className="hide-narrow">OS identifier</th>
            {organizationName ? <th scope="col" className="hide-narrow">Organization</th> : null}
            <th scope="col" className={showCategory ? 'hide-narrow' : undefined}>Created</th>
          </tr>
        </thead>
        <tbody>
          {builds.map((build) => (
            <tr key={build.id}>
              <td><Link to={`/firmware/builds/${build.id}`}>{build.version}</Link></td>
              {showCategory ? <td><Link to={`/firmware/categories/${build.category}`}>{build.category_relation.name}</Link></td> : null}
              <td className="hide-narrow">{build.os ?? <span className="muted">—</span>}</td>
              {organizationName ? <td className="hide-narrow">{organizationName(build.organization)}</td> : null}
              <td className={showCategory ? 'hide-narrow' : undefined}>{formatDate(build.created)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

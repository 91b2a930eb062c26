import { Link } from 'react-router';
import { EmptyState, PageHeader } from '../components/ui';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState>
        This page does not exist. <Link to="/">Go to the dashboard</Link>.
      </EmptyState>
    </>
  );
}

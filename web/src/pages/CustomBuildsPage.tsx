import { PageHeader } from '../components/ui';

export function CustomBuildsPage() {
  return <PageHeader title="CustomBuildsPage" />;
}

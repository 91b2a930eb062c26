import { PageHeader } from '../components/ui';

export function CategoryPage() {
  return <PageHeader title="CategoryPage" />;
}

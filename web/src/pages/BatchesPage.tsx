import { PageHeader } from '../components/ui';

export function BatchesPage() {
  return <PageHeader title="BatchesPage" />;
}

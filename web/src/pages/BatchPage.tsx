import { PageHeader } from '../components/ui';

export function BatchPage() {
  return <PageHeader title="BatchPage" />;
}

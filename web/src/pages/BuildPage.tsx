import { PageHeader } from '../components/ui';

export function BuildPage() {
  return <PageHeader title="BuildPage" />;
}

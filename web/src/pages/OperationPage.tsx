import { PageHeader } from '../components/ui';

export function OperationPage() {
  return <PageHeader title="OperationPage" />;
}

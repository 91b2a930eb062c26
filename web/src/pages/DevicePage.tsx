import { PageHeader } from '../components/ui';

export function DevicePage() {
  return <PageHeader title="DevicePage" />;
}

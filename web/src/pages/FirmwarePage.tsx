import { PageHeader } from '../components/ui';

export function FirmwarePage() {
  return <PageHeader title="FirmwarePage" />;
}

import { PageHeader } from '../components/ui';

export function MassUpgradePage() {
  return <PageHeader title="MassUpgradePage" />;
}

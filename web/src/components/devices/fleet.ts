import type { paths } from '../../api/schema';

/** The device list's rows and filters as the server defines them, and the UI's text for their vocabularies. */

export type FleetDevice =
  paths['/api/v1/devices/']['get']['responses'][200]['content']['application/json']['results'][number];
export type FleetQuery = NonNullable<paths['/api/v1/devices/']['get']['parameters']['query']>;
export type DeviceFilterSet = NonNullable<
  paths['/api/v1/devices/upgrades/retry/']['post']['requestBody']
>['content']['application/json']['filters'];
export type BulkOutcome =
  paths['/api/v1/devices/upgrades/retry/']['post']['responses'][200]['content']['application/json'];
export type BulkRefusalReason = BulkOutcome['refused'][number]['reason'];
export type LastResult = NonNullable<FleetQuery['last_result']>;
export type DeviceManagement = NonNullable<FleetQuery['management']>;
export type FleetSummary = paths['/api/v1/devices/summary/']['get']['responses'][200]['content']['application/json'];

/** The UI's text for each LastUpgradeResult (the filter's choices). */
export const LAST_RESULT_TEXT: Record<LastResult, string> = {
  failed: 'Failed',
  aborted: 'Aborted',
  cancelled: 'Cancelled',
  success: 'Succeeded',
  'in-progress': 'In progress',
  pending: 'Pending',
  none: 'Never upgraded',
};

/** The UI's text for each DeviceManagement mode. */
export const MANAGEMENT_TEXT: Record<DeviceManagement, string> = {
  ssh: 'SSH (server connects)',
  agent: 'Pull agent (device polls)',
};

/** The UI's text for each BulkRefusalReason. */
export const BULK_REFUSAL_TEXT: Record<BulkRefusalReason, string> = {
  'no-failed-upgrade': 'their newest upgrade did not fail',
  'no-open-upgrade': 'no upgrade pending or running',
  refused: 'refused',
};

/** The URL parameters the device list keeps its filters in, and the API parameter each sets. */
export const TEXT_FILTERS = [
  { param: 'model', label: 'Model', suggestions: 'models' },
  { param: 'os', label: 'Firmware', suggestions: 'firmware' },
  { param: 'group', label: 'Group', suggestions: null },
  { param: 'location', label: 'Location', suggestions: null },
] as const;
export const CHOICE_PARAMS = ['status', 'reachable', 'last_result', 'behind_latest', 'management'] as const;
export const FILTER_PARAMS = ['search', ...TEXT_FILTERS.map((filter) => filter.param), ...CHOICE_PARAMS] as const;

const LAST_RESULTS = Object.keys(LAST_RESULT_TEXT) as LastResult[];

function readBoolean(value: string | null): boolean | undefined {
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

/** The API filters of the URL's parameters (values the API would refuse are left out). */
export function filtersOf(params: URLSearchParams): DeviceFilterSet & {} {
  const text = (name: string) => params.get(name) || undefined;
  const status = params.get('status');
  const lastResult = params.get('last_result') as LastResult | null;
  const management = params.get('management') as DeviceManagement | null;
  const filters = {
    search: text('search'),
    model: text('model'),
    os: text('os'),
    group: text('group'),
    location: text('location'),
    is_active: status === 'active' ? true : status === 'deactivated' ? false : undefined,
    reachable: readBoolean(params.get('reachable')),
    last_result: lastResult && LAST_RESULTS.includes(lastResult) ? lastResult : undefined,
    behind_latest: readBoolean(params.get('behind_latest')),
    management: management && Object.hasOwn(MANAGEMENT_TEXT, management) ? management : undefined,
  };
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));
}

/** "22.03.5 → 23.05.2" for a device behind the newest build of its category. */
export function versionStep(device: FleetDevice): string | null {
  if (!device.behind_latest || !device.current_build || !device.latest_build) return null;
  return `${device.current_build.version} → ${device.latest_build.version}`;
}

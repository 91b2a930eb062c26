import { Type, type Static } from '@sinclair/typebox';
import { DateTime, OrganizationFilterQuery, PaginationQuery, StringEnum, Uuid } from '../../http/schemas.js';
import type { MaintenanceWindowRow } from './maintenance-windows.table.js';
import { checkStoredSchedule } from './stored-schedule.js';
import { WEEKDAYS } from './window-schedule.js';

export const WeekdaySchema = StringEnum(WEEKDAYS, { title: 'Weekday', description: 'mon … sun.' });

const TimeOfDay = (description: string) =>
  Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description, examples: ['01:00'] });

export const SchedulePeriodSchema = Type.Object(
  {
    days: Type.Array(WeekdaySchema, { minItems: 1, maxItems: 7, uniqueItems: true }),
    start: TimeOfDay('Local time the window opens, "HH:MM" (00:00-23:59).'),
    end: TimeOfDay('Local time it closes; an end before the start is on the next day (22:00-02:00).'),
  },
  { title: 'MaintenanceWindowPeriod' },
);

const Names = (what: string) =>
  Type.Array(Type.String({ minLength: 1, maxLength: 128 }), {
    maxItems: 500,
    uniqueItems: true,
    description: `Devices whose ${what} is one of these (exactly, as the device list shows it).`,
  });

export const AppliesToSchema = Type.Object(
  {
    groups: Type.Optional(Names('group')),
    locations: Type.Optional(Names('location')),
  },
  {
    title: 'MaintenanceWindowAppliesTo',
    description:
      "The devices this window is theirs: a device's group decides first, then its location. A group or a location " +
      'belongs to at most one window of the organization.',
  },
);

const WindowFields = {
  organization: Type.Optional(Uuid),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  time_zone: Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'An IANA time zone, e.g. "Europe/Berlin" (daylight saving followed).',
  }),
  schedule: Type.Array(SchedulePeriodSchema, { minItems: 1, maxItems: 50 }),
  applies_to: Type.Optional(AppliesToSchema),
};

export const CreateWindowBody = Type.Object(WindowFields, { title: 'MaintenanceWindowCreate' });
export const UpdateWindowBody = Type.Partial(Type.Object(WindowFields), { title: 'MaintenanceWindowUpdate' });

export const ListWindowsQuery = Type.Object({ ...PaginationQuery, ...OrganizationFilterQuery });

export const MaintenanceWindowDto = Type.Object(
  {
    id: Uuid,
    organization: Uuid,
    name: Type.String(),
    time_zone: Type.String(),
    schedule: Type.Array(SchedulePeriodSchema),
    applies_to: Type.Object({ groups: Type.Array(Type.String()), locations: Type.Array(Type.String()) }),
    created: DateTime,
    modified: DateTime,
  },
  { title: 'MaintenanceWindow' },
);

export function toMaintenanceWindowDto(row: MaintenanceWindowRow): Static<typeof MaintenanceWindowDto> {
  const schedule = checkStoredSchedule(row.schedule);
  return {
    id: row.id,
    organization: row.organizationId,
    name: row.name,
    time_zone: row.timeZone,
    // A stored schedule this version cannot read shows as no periods (it never opens): never a 500.
    schedule: schedule.ok ? schedule.value : [],
    applies_to: { groups: row.groups, locations: row.locations },
    created: row.created.toISOString(),
    modified: row.modified.toISOString(),
  };
}

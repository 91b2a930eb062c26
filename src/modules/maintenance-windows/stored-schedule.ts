import { Type } from '@sinclair/typebox';
import { persistedPayload } from '../../platform/persisted-payload.js';
import { WEEKDAYS } from './window-schedule.js';

/**
 * A window's schedule as read back from its row (maintenance_windows.schedule), checked before use:
 * the shape the API accepted (periods of weekdays and "HH:MM" times).
 */
export const checkStoredSchedule = persistedPayload(
  'maintenance window schedule',
  Type.Array(
    Type.Object({
      days: Type.Array(Type.Union(WEEKDAYS.map((day) => Type.Literal(day)))),
      start: Type.String(),
      end: Type.String(),
    }),
  ),
);

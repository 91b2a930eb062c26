/**
 * The time-zone arithmetic of maintenance windows, on Node's own ICU time-zone database (Intl, full ICU in
 * the official Node builds): no library. A window is a weekly schedule of local hours; its periods are
 * turned into instants day by day, so that a daylight-saving change moves them with the wall clock:
 * 01:00-05:00 Europe/Berlin is four hours long on most nights and three or five on a change night.
 * Local times that do not exist (the hour skipped in spring) move forward by the gap; local times that
 * happen twice (the hour repeated in autumn) mean the first of them, as calendars and Temporal do.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * One period of a weekly schedule: on these days from `start` to `end` ("HH:MM"); an end before the start
 * is on the next day.
 */
export interface SchedulePeriod {
  days: Weekday[];
  start: string;
  end: string;
}

export interface WindowSchedule {
  timeZone: string;
  periods: SchedulePeriod[];
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Minutes after midnight of an "HH:MM" time, or null when it is not one (00:00 to 23:59). */
export function parseTimeOfDay(text: string): number | null {
  const match = TIME.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * An IANA name of a time zone as ICU spells it ("europe/berlin" → "Europe/Berlin"), an alias as given
 * ("Europe/Kyiv", which ICU calls Europe/Kiev), or null when ICU does not know it. Offsets and
 * abbreviations ("+01:00", "CET") are refused: they do not follow daylight saving.
 */
export function canonicalTimeZone(name: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name) || (!name.includes('/') && name.toUpperCase() !== 'UTC')) return null;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    // ICU answers with its own canonical name, which may be an older one (Europe/Kyiv → Europe/Kiev): keep the
    // name as typed, and take ICU's only for its spelling of the same name.
    return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
  } catch {
    return null;
  }
}

/** The wall-clock time in the zone at an instant, read as if it were UTC (milliseconds, to the second). */
function wallClockAsUtc(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/** The zone's offset from UTC at an instant, in milliseconds (Berlin in winter: +3,600,000). */
function offsetAt(instant: number, timeZone: string): number {
  const second = Math.floor(instant / 1000) * 1000;
  return wallClockAsUtc(second, timeZone) - second;
}

/**
 * The instant a local date and time happens in the zone (`localDay`: days since 1970-01-01 as a local
 * calendar date). Of two candidates (the offsets a day before and a day after, which bracket any change),
 * the earliest that shows this wall-clock time. A time in a skipped hour is read with the offset before the
 * change, which moves it forward by the gap (02:30 on the spring change night in Berlin is 03:30 CEST), as
 * Temporal's "compatible" disambiguation does.
 */
export function zonedInstant(localDay: number, minutes: number, timeZone: string): Date {
  const wall = localDay * DAY + minutes * MINUTE;
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  const matching = [wall - before, wall - after]
    .filter((instant) => wallClockAsUtc(instant, timeZone) === wall)
    .sort((a, b) => a - b);
  return new Date(matching[0] ?? wall - before);
}

/** The local calendar day (days since 1970-01-01) of an instant in the zone. */
function localDayOf(instant: Date, timeZone: string): number {
  return Math.floor(wallClockAsUtc(instant.getTime(), timeZone) / DAY);
}

/** Monday = 0 … Sunday = 6 of a day counted from 1970-01-01 (a Thursday). */
function weekdayOf(localDay: number): Weekday {
  return WEEKDAYS[(((localDay + 3) % 7) + 7) % 7]!;
}

export interface OpenPeriod {
  opens: Date;
  closes: Date;
}

/**
 * Computed periods by time zone, local day and schedule. Turning 50 periods into instants for ten days
 * takes some 2,500 ICU calls (5 to 25 ms); a worker decides up to three times per claim, all day long, on
 * the same few windows. The key is the schedule's content, so a changed window is simply a new entry (no
 * invalidation), and time-zone rules do not change while the process runs. Bounded: the oldest entries
 * go first.
 */
const computed = new Map<string, readonly OpenPeriod[]>();
const COMPUTED_MAX = 2_000;

/**
 * The periods the window is open from the day before `from` to eight days after it, as instants, in order,
 * with overlapping or touching periods merged (Mon 22:00-02:00 and Tue 00:00-05:00 are one night). The
 * same result for every instant of a local day (cached: do not change it).
 */
export function openPeriods(schedule: WindowSchedule, from: Date): readonly OpenPeriod[] {
  const today = localDayOf(from, schedule.timeZone);
  const key = `${schedule.timeZone}|${today}|${JSON.stringify(schedule.periods)}`;
  let periods = computed.get(key);
  if (periods === undefined) {
    periods = computeOpenPeriods(schedule, today);
    if (computed.size >= COMPUTED_MAX) computed.delete(computed.keys().next().value!);
    computed.set(key, periods);
  }
  return periods;
}

function computeOpenPeriods(schedule: WindowSchedule, today: number): OpenPeriod[] {
  const periods: OpenPeriod[] = [];
  for (let day = today - 1; day <= today + 8; day += 1) {
    for (const period of schedule.periods) {
      if (!period.days.includes(weekdayOf(day))) continue;
      const start = parseTimeOfDay(period.start);
      const end = parseTimeOfDay(period.end);
      if (start === null || end === null || start === end) continue;
      const opens = zonedInstant(day, start, schedule.timeZone);
      const closes = zonedInstant(end > start ? day : day + 1, end, schedule.timeZone);
      if (closes > opens) periods.push({ opens, closes });
    }
  }
  periods.sort((a, b) => a.opens.getTime() - b.opens.getTime());
  const merged: OpenPeriod[] = [];
  for (const period of periods) {
    const last = merged.at(-1);
    if (last && period.opens <= last.closes) {
      if (period.closes > last.closes) last.closes = period.closes;
    } else merged.push({ ...period });
  }
  return merged;
}

export type StartDecision =
  | { allowed: true; closes: Date }
  /** `opens` is null when no period of the coming week is longer than the end margin. */
  | { allowed: false; opens: Date | null; closes: Date | null };

/**
 * Whether an upgrade may start at `now`: inside an open period and more than `marginMs` before its end (a
 * flash must not run into the customer's working hours). If not, when the next period that leaves room
 * opens.
 */
export function decideStart(schedule: WindowSchedule, now: Date, marginMs: number): StartDecision {
  for (const period of openPeriods(schedule, now)) {
    const lastStart = period.closes.getTime() - marginMs;
    if (lastStart <= period.opens.getTime()) continue; // too short to start anything in
    if (period.opens <= now && now.getTime() < lastStart) return { allowed: true, closes: period.closes };
    if (period.opens > now) return { allowed: false, opens: period.opens, closes: period.closes };
  }
  return { allowed: false, opens: null, closes: null };
}

/** "2026-12-04 01:00" in the zone: how the operation log and the UI name an opening. */
export function formatLocal(instant: Date, timeZone: string): string {
  const wall = new Date(wallClockAsUtc(instant.getTime(), timeZone));
  return wall.toISOString().slice(0, 16).replace('T', ' ');
}

import { describe, expect, it } from 'vitest';
import {
  canonicalTimeZone,
  decideStart,
  formatLocal,
  openPeriods,
  parseTimeOfDay,
  type WindowSchedule,
  zonedInstant,
} from './window-schedule.js';

const MINUTE = 60_000;
const at = (iso: string) => new Date(iso);
const days = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / (24 * 3600 * 1000);
const nightly = (timeZone: string, start = '01:00', end = '05:00'): WindowSchedule => ({
  timeZone,
  periods: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start, end }],
});

describe('time zones and local times', () => {
  it('accepts IANA names in any case and refuses unknown zones, offsets and abbreviations', () => {
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('America/New_York')).toBe('America/New_York');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    // An alias ICU knows under an older name keeps the name given.
    expect(canonicalTimeZone('Europe/Kyiv')).toBe('Europe/Kyiv');
    expect(canonicalTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeNull();
    expect(canonicalTimeZone('+01:00')).toBeNull();
    expect(canonicalTimeZone('CET')).toBeNull();
    expect(canonicalTimeZone('')).toBeNull();
  });

  it('reads "HH:MM" times of day and refuses others', () => {
    expect(parseTimeOfDay('00:00')).toBe(0);
    expect(parseTimeOfDay('23:59')).toBe(23 * 60 + 59);
    expect(parseTimeOfDay('24:00')).toBeNull();
    expect(parseTimeOfDay('1:00')).toBeNull();
    expect(parseTimeOfDay('01:60')).toBeNull();
  });

  it('turns a local date and time into an instant in winter and in summer', () => {
    expect(zonedInstant(days('2026-12-04'), 60, 'Europe/Berlin').toISOString()).toBe('2026-12-04T00:00:00.000Z');
    expect(zonedInstant(days('2026-07-04'), 60, 'Europe/Berlin').toISOString()).toBe('2026-07-03T23:00:00.000Z');
    expect(zonedInstant(days('2026-12-04'), 60, 'America/New_York').toISOString()).toBe('2026-12-04T06:00:00.000Z');
  });

  it('moves a time in the hour skipped in spring forward by the gap, and takes the first of a repeated hour', () => {
    // 2026-03-29: Berlin jumps from 02:00 CET to 03:00 CEST (01:00 UTC).
    expect(zonedInstant(days('2026-03-29'), 2 * 60 + 30, 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    // 2026-10-25: 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET).
    expect(zonedInstant(days('2026-10-25'), 2 * 60 + 30, 'Europe/Berlin').toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });

  it('formats an instant as the local date and time of the zone', () => {
    expect(formatLocal(at('2026-12-04T00:00:00Z'), 'Europe/Berlin')).toBe('2026-12-04 01:00');
    expect(formatLocal(at('2026-12-04T00:00:00Z'), 'America/New_York')).toBe('2026-12-03 19:00');
  });
});

describe('open periods', () => {
  it('keeps a nightly window at its local hours across the daylight-saving change days', () => {
    const spring = openPeriods(nightly('Europe/Berlin'), at('2026-03-28T12:00:00Z'));
    const changeNight = spring.find((period) => period.opens.toISOString().startsWith('2026-03-29'))!;
    expect(changeNight.opens.toISOString()).toBe('2026-03-29T00:00:00.000Z'); // 01:00 CET
    expect(changeNight.closes.toISOString()).toBe('2026-03-29T03:00:00.000Z'); // 05:00 CEST: three hours
    const autumn = openPeriods(nightly('Europe/Berlin'), at('2026-10-24T12:00:00Z'));
    const longNight = autumn.find((period) => period.closes.toISOString().startsWith('2026-10-25'))!;
    expect(longNight.opens.toISOString()).toBe('2026-10-24T23:00:00.000Z'); // 01:00 CEST
    expect(longNight.closes.toISOString()).toBe('2026-10-25T04:00:00.000Z'); // 05:00 CET: five hours
  });

  it('ends a period whose end is before its start on the next day', () => {
    const schedule: WindowSchedule = { timeZone: 'UTC', periods: [{ days: ['mon'], start: '22:00', end: '02:00' }] };
    const periods = openPeriods(schedule, at('2026-12-07T12:00:00Z'));
    expect(periods[0]).toEqual({ opens: at('2026-12-07T22:00:00Z'), closes: at('2026-12-08T02:00:00Z') });
  });

  it('merges periods that overlap or touch into one', () => {
    const schedule: WindowSchedule = {
      timeZone: 'UTC',
      periods: [
        { days: ['mon'], start: '22:00', end: '02:00' },
        { days: ['tue'], start: '00:00', end: '05:00' },
      ],
    };
    const periods = openPeriods(schedule, at('2026-12-07T12:00:00Z'));
    expect(periods[0]).toEqual({ opens: at('2026-12-07T22:00:00Z'), closes: at('2026-12-08T05:00:00Z') });
  });
});

describe('deciding a start', () => {
  const margin = 15 * MINUTE;

  it('allows a start inside the window and names when it closes', () => {
    const decision = decideStart(nightly('Europe/Berlin'), at('2026-12-04T01:30:00Z'), margin);
    expect(decision).toEqual({ allowed: true, closes: at('2026-12-04T04:00:00Z') });
  });

  it('refuses a start before the window and names the next opening', () => {
    const decision = decideStart(nightly('Europe/Berlin'), at('2026-12-03T14:00:00Z'), margin);
    expect(decision).toEqual({ allowed: false, opens: at('2026-12-04T00:00:00Z'), closes: at('2026-12-04T04:00:00Z') });
  });

  it('refuses a start within the end margin and points at the next night', () => {
    const schedule = nightly('UTC');
    expect(decideStart(schedule, at('2026-12-04T04:44:59Z'), margin).allowed).toBe(true);
    const late = decideStart(schedule, at('2026-12-04T04:45:00Z'), margin);
    expect(late).toEqual({ allowed: false, opens: at('2026-12-05T01:00:00Z'), closes: at('2026-12-05T05:00:00Z') });
  });

  it('allows a start after midnight in a window that opened the evening before', () => {
    const schedule: WindowSchedule = { timeZone: 'UTC', periods: [{ days: ['mon'], start: '22:00', end: '02:00' }] };
    expect(decideStart(schedule, at('2026-12-08T01:00:00Z'), margin).allowed).toBe(true);
    const late = decideStart(schedule, at('2026-12-08T01:50:00Z'), margin);
    expect(late).toMatchObject({ allowed: false, opens: at('2026-12-14T22:00:00Z') });
  });

  it('waits for the right weekday', () => {
    const schedule: WindowSchedule = {
      timeZone: 'Europe/Berlin',
      periods: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '01:00', end: '05:00' }],
    };
    // Saturday afternoon: the next weekday night is Monday's, 01:00 CET.
    const decision = decideStart(schedule, at('2026-12-05T14:00:00Z'), margin);
    expect(decision).toMatchObject({ allowed: false, opens: at('2026-12-07T00:00:00Z') });
  });

  it('gives the same instant different local hours in two zones', () => {
    const now = at('2026-12-04T02:00:00Z');
    expect(decideStart(nightly('Europe/Berlin'), now, margin).allowed).toBe(true); // 03:00 in Berlin
    const newYork = decideStart(nightly('America/New_York'), now, margin); // 21:00 the evening before
    expect(newYork).toMatchObject({ allowed: false, opens: at('2026-12-04T06:00:00Z') });
  });

  it('finds no opening when every period is shorter than the end margin', () => {
    const decision = decideStart(nightly('UTC', '01:00', '01:10'), at('2026-12-04T00:00:00Z'), margin);
    expect(decision).toEqual({ allowed: false, opens: null, closes: null });
  });
});

describe('the cache of computed periods', () => {
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
  const busy = (): WindowSchedule => ({
    timeZone: 'Europe/Berlin',
    periods: Array.from({ length: 50 }, (_, index) => ({
      days: [weekdays[index % 7]!],
      start: `${String(index % 24).padStart(2, '0')}:00`,
      end: `${String((index + 1) % 24).padStart(2, '0')}:30`,
    })),
  });

  it('computes a schedule once per local day: the same periods for every instant of the day', () => {
    const morning = openPeriods(busy(), at('2026-12-03T06:00:00Z'));
    expect(openPeriods(busy(), at('2026-12-03T22:59:00Z'))).toBe(morning); // 23:59 in Berlin
    expect(openPeriods(busy(), at('2026-12-03T23:00:00Z'))).not.toBe(morning); // the next Berlin day
  });

  it('gives the same decisions from the cache as computed afresh, and new ones for changed hours', () => {
    const instants = Array.from(
      { length: 96 },
      (_, index) => new Date(Date.parse('2026-12-03T00:00:00Z') + index * 900_000),
    );
    const first = instants.map((instant) => decideStart(busy(), instant, 15 * MINUTE));
    // Second pass: every day is cached now; the decisions are those computed the first time.
    expect(instants.map((instant) => decideStart(busy(), instant, 15 * MINUTE))).toEqual(first);
    expect(first.some((decision) => decision.allowed)).toBe(true);
    expect(first.some((decision) => !decision.allowed)).toBe(true);

    const changed = { ...busy(), periods: [{ days: [...weekdays], start: '01:00', end: '05:00' }] };
    expect(decideStart(changed, at('2026-12-03T12:00:00Z'), 15 * MINUTE)).toEqual({
      allowed: false,
      opens: at('2026-12-04T00:00:00Z'),
      closes: at('2026-12-04T04:00:00Z'),
    });
    expect(decideStart({ ...changed, timeZone: 'UTC' }, at('2026-12-03T12:00:00Z'), 15 * MINUTE)).toMatchObject({
      opens: at('2026-12-04T01:00:00Z'),
    });
  });
});

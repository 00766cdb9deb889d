// Shift-start times in a hospital's time zone, across the clock changes.
import { nextShiftStart } from '../../src/services/prewarm';

test.each([
  // London winter (UTC+0)
  ['2026-11-25T06:59:00Z', 'Europe/London', '2026-11-25T07:00:00.000Z', '2026-11-25T07:00@Europe/London'],
  ['2026-11-25T07:00:00Z', 'Europe/London', '2026-11-25T19:00:00.000Z', '2026-11-25T19:00@Europe/London'],
  ['2026-11-25T19:30:00Z', 'Europe/London', '2026-11-26T07:00:00.000Z', '2026-11-26T07:00@Europe/London'],
  // London summer (UTC+1)
  ['2026-07-01T05:00:00Z', 'Europe/London', '2026-07-01T06:00:00.000Z', '2026-07-01T07:00@Europe/London'],
  // the night the clocks go forward (29 March 2026, 01:00 UTC)
  ['2026-03-28T20:00:00Z', 'Europe/London', '2026-03-29T06:00:00.000Z', '2026-03-29T07:00@Europe/London'],
  // the night they go back (25 October 2026)
  ['2026-10-24T20:00:00Z', 'Europe/London', '2026-10-25T07:00:00.000Z', '2026-10-25T07:00@Europe/London'],
  // New York (UTC-5 in November)
  ['2026-11-25T11:00:00Z', 'America/New_York', '2026-11-25T12:00:00.000Z', '2026-11-25T07:00@America/New_York'],
])('after %s in %s the next shift start is %s', (from, tz, at, slot) => {
  const next = nextShiftStart(['07:00', '19:00'], tz, new Date(from));
  expect(next.at.toISOString()).toBe(at);
  expect(next.slot).toBe(slot);
});

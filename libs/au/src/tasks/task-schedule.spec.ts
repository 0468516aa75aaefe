import { AuConfigError } from '../core/au-config.error';
import { checkSchedule, nextRunOf } from './task-schedule';

describe('task schedules', () => {
  it('ticks `every` at multiples of the interval, strictly after the time given', () => {
    expect(nextRunOf({ every: 500 }, 1000)).toBe(1500);
    expect(nextRunOf({ every: 500 }, 1001)).toBe(1500);
    expect(nextRunOf({ every: 500 }, 1499)).toBe(1500);
  });

  it('ticks a cron expression in its time zone', () => {
    const from = Date.parse('2026-01-01T10:15:00Z');
    expect(new Date(nextRunOf({ cron: '0 * * * *' }, from)).toISOString()).toBe('2026-01-01T11:00:00.000Z');
    expect(new Date(nextRunOf({ cron: '30 12 * * *', tz: 'Asia/Kolkata' }, from)).toISOString()).toBe('2026-01-02T07:00:00.000Z');
  });

  it.each([
    [{ cron: 'every hour' }, /Task "t" has a bad schedule: cron "every hour" is not valid/],
    [{ cron: '0 * * * *', tz: 'Mars/Olympus' }, /in time zone "Mars\/Olympus" is not valid/],
    [{ every: 0 }, /every must be a whole number of milliseconds >= 1, got 0/],
    [{ every: 1.5 }, /got 1.5/],
    [{ cron: '* * * * *', every: 5 }, /exactly one of cron and every/],
    [{}, /exactly one of cron and every/],
  ])('rejects %j with an AuConfigError that says what to change', (schedule, message) => {
    const check = () => checkSchedule('t', schedule as never);
    expect(check).toThrow(AuConfigError);
    expect(check).toThrow(message);
  });

  it('accepts good schedules as they are', () => {
    const cron = { cron: '*/5 * * * *', tz: 'Europe/Paris', input: { n: 1 } };
    expect(checkSchedule('t', cron)).toBe(cron);
    expect(checkSchedule('t', { every: 500 })).toEqual({ every: 500 });
  });
});

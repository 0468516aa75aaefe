import { parseExpression } from 'cron-parser';
import { AuConfigError } from '../core/au-config.error';

/** A cron schedule: `cron` (five or six fields), in time zone `tz` (default: the process'), with this input. */
export interface CronSchedule {
  cron: string;
  tz?: string;
  input?: unknown;
}

/** A schedule every `every` milliseconds (ticks at multiples of it, as Bull's repeatable jobs), with this input. */
export interface EverySchedule {
  every: number;
  input?: unknown;
}

/** `@AsyncTask({ schedule })`: each tick submits one ordinary task. */
export type TaskSchedule = CronSchedule | EverySchedule;

/** The first tick strictly after `from` (epoch ms). */
export function nextRunOf(schedule: TaskSchedule, from: number): number {
  if ('every' in schedule) return Math.floor(from / schedule.every) * schedule.every + schedule.every;
  return parseExpression(schedule.cron, { currentDate: new Date(from), tz: schedule.tz }).next().getTime();
}

/** The schedule as given, or an `AuConfigError` saying what is wrong with it (a bad cron, time zone or interval). */
export function checkSchedule(task: string, schedule: TaskSchedule): TaskSchedule {
  if (schedule === null || typeof schedule !== 'object') throw AuConfigError.badSchedule(task, 'it is not an object');
  const hasCron = 'cron' in schedule;
  const hasEvery = 'every' in schedule;
  if (hasCron === hasEvery) throw AuConfigError.badSchedule(task, 'give exactly one of cron and every');
  if (hasEvery) {
    const { every } = schedule;
    if (!(Number.isInteger(every) && every >= 1)) throw AuConfigError.badSchedule(task, `every must be a whole number of milliseconds >= 1, got ${String(every)}`);
    return schedule;
  }
  if (typeof schedule.cron !== 'string') throw AuConfigError.badSchedule(task, 'cron must be a string');
  try {
    nextRunOf(schedule, Date.now());
  } catch (error) {
    const detail = `cron "${schedule.cron}"${schedule.tz ? ` in time zone "${schedule.tz}"` : ''} is not valid (${(error as Error).message})`;
    throw AuConfigError.badSchedule(task, detail);
  }
  return schedule;
}

import { Injectable, Logger } from '@nestjs/common';
import { AsyncTask, AU_CLS_REQUEST_ID, TaskContext, TaskService } from '@au/nestjs';
import { ClsService } from 'nestjs-cls';
import { setTimeout as delay } from 'node:timers/promises';
import { EmptyDto, FactorialDto, FailDto, FanoutDto, FlakyDto, SleepDto, SleepResultDto } from './demo.dto';

/** `DEMO_HEARTBEAT_MS` set: the heartbeat task repeats every that many milliseconds; unset: no schedule. */
const HEARTBEAT_MS = process.env.DEMO_HEARTBEAT_MS;
const heartbeatSchedule = HEARTBEAT_MS ? { schedule: { every: Number(HEARTBEAT_MS) } } : {};

/** The reference app's tasks; the e2e suites and benchmarks use them. */
@Injectable()
export class DemoTasks {
  private readonly logger = new Logger(DemoTasks.name);

  constructor(
    private readonly tasks: TaskService,
    private readonly cls: ClsService,
  ) {}
  @AsyncTask({ description: 'Exact n! as a decimal string', output: String })
  factorial({ n }: FactorialDto): string {
    let value = 1n;
    for (let i = 2n; i <= BigInt(n); i++) value *= i;
    return value.toString();
  }

  @AsyncTask({
    description: 'Sleeps ms milliseconds in steps, reporting progress; stops at once when cancelled',
    output: SleepResultDto,
  })
  async sleep({ ms }: SleepDto, ctx: TaskContext): Promise<SleepResultDto> {
    const step = Math.min(100, Math.max(1, ms));
    const started = Date.now();
    let elapsed = 0;
    while (elapsed < ms) {
      await delay(Math.min(step, ms - elapsed), undefined, { signal: ctx.signal });
      // One reading of the clock for both the progress and the loop's end, so the last progress reported is 100.
      elapsed = Date.now() - started;
      await ctx.progress(Math.min(100, Math.round((elapsed / ms) * 100)));
    }
    return { slept: elapsed };
  }

  @AsyncTask({
    description: 'Throws on its first failTimes attempts, then returns "ok"',
    output: String,
    attempts: 5,
    backoff: { delayMs: 50, factor: 2 },
  })
  flaky({ failTimes }: FlakyDto, ctx: TaskContext): string {
    if (ctx.attempt <= failTimes) throw new Error(`flaky failure ${ctx.attempt} of ${failTimes}`);
    return 'ok';
  }

  @AsyncTask({ description: 'Always throws an Error with the given message' })
  fail({ message }: FailDto): never {
    throw new Error(message);
  }

  @AsyncTask({ input: EmptyDto, description: 'Returns null at once', output: null })
  noop(): null {
    return null;
  }

  @AsyncTask({ input: EmptyDto, description: 'Returns the time; repeats every DEMO_HEARTBEAT_MS ms when that is set', ...heartbeatSchedule })
  heartbeat(): { at: string } {
    return { at: new Date().toISOString() };
  }

  @AsyncTask({ input: EmptyDto, description: 'What the task sees of its context: request id (from CLS), task id, parent, attempt' })
  context(_input: EmptyDto, ctx: TaskContext) {
    this.logger.log(`context task running (attempt ${ctx.attempt})`);
    return {
      requestId: this.cls.get(AU_CLS_REQUEST_ID) ?? null,
      taskId: ctx.id,
      parentId: ctx.parentId ?? null,
      attempt: ctx.attempt,
    };
  }

  @AsyncTask({
    description: 'Submits n factorial {n: 10} children (same request id, parentId = this task) and returns their ids',
    output: [String],
  })
  async fanout({ n }: FanoutDto): Promise<string[]> {
    const children = await Promise.all(Array.from({ length: n }, () => this.tasks.submit('factorial', { n: 10 })));
    this.logger.log(`submitted ${n} children`);
    return children.map((child) => child.id);
  }
}

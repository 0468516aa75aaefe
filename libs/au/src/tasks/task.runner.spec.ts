import { ClsServiceManager } from 'nestjs-cls';
import { AU_CLS_REQUEST_ID, AU_CLS_TASK } from '../core/au.constants';
import { TaskCancelledError, TaskTimeoutError } from '../core/task-errors';
import { TaskAbort } from './task-abort';
import type { TaskContext } from './task-context';
import { TaskHooks } from './task-hooks';
import type { TaskDefinition } from './task-definition';
import { AttemptJob, TaskRunner } from './task.runner';

function setup(handler: (input: unknown, ctx: TaskContext) => unknown, timeoutMs?: number) {
  const hooks = new TaskHooks();
  const events: string[] = [];
  hooks.register({
    beforeRun: () => events.push('beforeRun'),
    afterRun: ({ result }) => events.push(`afterRun:${JSON.stringify(result)}`),
    onError: ({ error, willRetry }) => events.push(`onError:${error.name}:${willRetry}`),
    onCancel: ({ wasRunning }) => events.push(`onCancel:${wasRunning}`),
  });
  const calls = jest.fn(handler);
  const definition = { name: 'probe', attempts: 1, timeoutMs } as TaskDefinition;
  const cancel = new TaskAbort();
  const job: AttemptJob = { id: 'id-1', task: 'probe', attempt: 1, maxAttempts: 1, requestId: 'req-1', createdAt: Date.now(), input: { n: 1 } };
  const reported: unknown[] = [];
  const control = { cancel, progress: async (value: unknown) => void reported.push(value) };
  // The outcome as a promise: the result, or the error that ended the attempt.
  const start = () =>
    new TaskRunner(hooks)
      .run({ definition, handler: calls }, job, control)
      .then((outcome) => (outcome.status === 'completed' ? outcome.result : Promise.reject(outcome.error)));
  return { start, calls, events, cancel, reported };
}

describe('TaskRunner', () => {
  it('resolves with what the task returns (null for nothing), inside a CLS context with the request id', async () => {
    const cls = ClsServiceManager.getClsService();
    const { start, events } = setup(() => ({ seen: cls.get(AU_CLS_REQUEST_ID), task: cls.get(AU_CLS_TASK).id }));
    await expect(start()).resolves.toEqual({ seen: 'req-1', task: 'id-1' });
    expect(events).toEqual(['beforeRun', 'afterRun:{"seen":"req-1","task":"id-1"}']);
    await expect(setup(() => undefined).start()).resolves.toBeNull();
    await expect(setup(async () => 7).start()).resolves.toBe(7);
  });

  it('ctx.progress() passes percentages on, clamped to 0..100, and rejects anything but a number', async () => {
    const rejected: string[] = [];
    const { start, reported } = setup(async (_, ctx) => {
      for (const percent of [0, 42.5, 100, 150, -3, Infinity]) await ctx.progress(percent);
      for (const bad of [NaN, '50', { done: 1 }, null]) await ctx.progress(bad as number).catch((e: Error) => rejected.push(e.name));
    });
    await start();
    expect(reported).toEqual([0, 42.5, 100, 100, 0, 100]);
    expect(rejected).toEqual(['TypeError', 'TypeError', 'TypeError', 'TypeError']);
  });

  it('rejects with what a task throws, synchronously or not, and reports it to onError', async () => {
    const sync = setup(() => {
      throw new RangeError('sync');
    });
    await expect(sync.start()).rejects.toThrow('sync');
    expect(sync.events).toEqual(['beforeRun', 'onError:RangeError:false']);
    await expect(setup(async () => Promise.reject(new Error('later'))).start()).rejects.toThrow('later');
  });

  it('a cancel rejects with TaskCancelledError, aborts ctx.signal with it, and is not an error', async () => {
    let signal: AbortSignal | undefined;
    const { start, cancel, events } = setup((_, ctx) => {
      signal = ctx.signal;
      return new Promise(() => undefined);
    });
    const running = start();
    cancel.abort(new TaskCancelledError());
    await expect(running).rejects.toBeInstanceOf(TaskCancelledError);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(TaskCancelledError);
    expect(events).toEqual(['beforeRun', 'onCancel:true']);
  });

  it('does not call a task cancelled before it starts', async () => {
    const { start, cancel, calls } = setup(() => 'ran');
    cancel.abort(new TaskCancelledError());
    await expect(start()).rejects.toBeInstanceOf(TaskCancelledError);
    expect(calls).not.toHaveBeenCalled();
  });

  it('fails an attempt that outlives timeoutMs with TaskTimeoutError and aborts its signal; a signal read later is aborted too', async () => {
    let ctx: TaskContext | undefined;
    const { start, events } = setup((_, c) => {
      ctx = c;
      return new Promise(() => undefined);
    }, 20);
    await expect(start()).rejects.toBeInstanceOf(TaskTimeoutError);
    expect(events).toEqual(['beforeRun', 'onError:TaskTimeoutError:false']);
    expect(ctx!.signal.aborted).toBe(true);
    expect(ctx!.signal.reason).toBeInstanceOf(TaskTimeoutError);
  });

  it('aborts the signal once the attempt is over, so work the task left behind can stop', async () => {
    let ctx: TaskContext | undefined;
    await setup((_, c) => {
      ctx = c;
      return 'done';
    }).start();
    expect(ctx!.signal.aborted).toBe(true);
  });

  it('ignores a cancel that comes after the attempt is over (the abort no longer holds the attempt)', async () => {
    let ctx: TaskContext | undefined;
    const { start, cancel, events } = setup((_, c) => {
      ctx = c;
      return 'done';
    });
    await expect(start()).resolves.toBe('done');
    cancel.abort(new TaskCancelledError());
    expect(events).toEqual(['beforeRun', 'afterRun:"done"']);
    expect(ctx!.signal.reason).not.toBeInstanceOf(TaskCancelledError);
    expect((cancel as unknown as { listener?: unknown }).listener).toBeUndefined();
  });

  describe('the outcome it maps', () => {
    const definition = { name: 'probe', attempts: 3, backoff: { delayMs: 100, factor: 2, jitter: 0 } } as TaskDefinition;
    const failing = () => {
      throw new Error('boom');
    };
    const attempt = (n: number, mayRetry?: () => boolean) => {
      const hooks = new TaskHooks();
      const events: string[] = [];
      hooks.register({
        onError: ({ willRetry }) => events.push(`onError:${willRetry}`),
        onCancel: ({ wasRunning }) => events.push(`onCancel:${wasRunning}`),
      });
      const runner = new TaskRunner(hooks);
      const job: AttemptJob = { id: 'id-1', task: 'probe', attempt: n, maxAttempts: 3, createdAt: Date.now(), input: {} };
      const outcome = runner.run({ definition, handler: failing }, job, { cancel: new TaskAbort(), progress: async () => undefined, mayRetry });
      return { outcome, events, runner };
    };

    it('retries a failed attempt while attempts remain, after the backoff of that attempt', async () => {
      const first = attempt(1);
      await expect(first.outcome).resolves.toMatchObject({ status: 'retrying', delayMs: 100, taskError: { name: 'Error', message: 'boom' } });
      expect(first.events).toEqual(['onError:true']);
      await expect(attempt(2).outcome).resolves.toMatchObject({ status: 'retrying', delayMs: 200 });
    });

    it('fails the last attempt, and one the backend may no longer retry', async () => {
      const last = attempt(3);
      await expect(last.outcome).resolves.toMatchObject({ status: 'failed', taskError: { message: 'boom' } });
      expect(last.events).toEqual(['onError:false']);
      await expect(attempt(1, () => false).outcome).resolves.toMatchObject({ status: 'failed' });
    });

    it('reports a task cancelled before any attempt ran to onCancel, as not running', () => {
      const { runner, events } = attempt(1);
      runner.cancelledBeforeRun({ id: 'id-2', task: 'probe' });
      expect(events).toContain('onCancel:false');
    });
  });
});

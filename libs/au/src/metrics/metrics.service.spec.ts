import { register, Registry } from 'prom-client';
import type { TaskBackend } from '../tasks/task.backend';
import { TaskHooks } from '../tasks/task-hooks';
import { AuMetrics } from './metrics.service';

describe('AuMetrics', () => {
  const event = (task: string, attempt = 1) => ({ id: 'x', task, attempt, createdAt: Date.now() - 50 });
  let hooks: TaskHooks;
  let metrics: AuMetrics;
  let queueCounts: () => Promise<Array<{ task: string; state: string; count: number }>>;

  beforeEach(() => {
    hooks = new TaskHooks();
    queueCounts = async () => [{ task: 'a', state: 'waiting', count: 7 }];
    const backend = { queueCounts: () => queueCounts() };
    metrics = new AuMetrics(hooks, backend as unknown as TaskBackend);
    metrics.onModuleInit();
  });

  afterEach(() => metrics.onModuleDestroy());

  it('counts what the lifecycle hooks report, and the running gauge returns to zero', async () => {
    hooks.emit('onSubmit', { id: '1', task: 'a' } as never);
    hooks.emit('beforeRun', event('a'));
    hooks.emit('onError', { ...event('a'), error: { name: 'Error', message: 'x' }, durationMs: 5, willRetry: true });
    hooks.emit('beforeRun', event('a', 2));
    hooks.emit('afterRun', { ...event('a', 2), result: null, durationMs: 15 });
    hooks.emit('beforeRun', event('b'));
    hooks.emit('onCancel', { id: '2', task: 'b', wasRunning: true });
    hooks.emit('onCancel', { id: '3', task: 'b', wasRunning: false });

    expect(metrics.snapshot()).toEqual({
      a: { submitted: 1, completed: 1, failed: 0, cancelled: 0, retries: 1, running: 0, averageDurationMs: 10 },
      b: { submitted: 0, completed: 0, failed: 0, cancelled: 2, retries: 0, running: 0, averageDurationMs: null },
    });
    const text = await metrics.metrics();
    expect(text).toContain('au_tasks_finished_total{task="a",status="completed"} 1');
    expect(text).toContain('au_task_retries_total{task="a"} 1');
    expect(text).toContain('au_tasks_running{task="b"} 0');
    expect(text).toContain('au_task_wait_seconds_count{task="a"} 1');
    expect(text).toContain('au_queue_jobs{task="a",state="waiting"} 7');
  });

  it('counts a final failure (timeout included) once, and the running gauge returns to zero', async () => {
    hooks.emit('onSubmit', { id: '1', task: 'a' } as never);
    hooks.emit('beforeRun', event('a'));
    hooks.emit('onError', { ...event('a'), error: { name: 'TaskTimeoutError', message: 'x' }, durationMs: 20, willRetry: false });

    expect(metrics.snapshot().a).toEqual({ submitted: 1, completed: 0, failed: 1, cancelled: 0, retries: 0, running: 0, averageDurationMs: 20 });
    const text = await metrics.metrics();
    expect(text).toContain('au_tasks_finished_total{task="a",status="failed"} 1');
    expect(text).toContain('au_tasks_running{task="a"} 0');
    expect(text).toContain('au_task_duration_seconds_count{task="a"} 1');
  });

  it('leaves the queue gauge empty when the backend cannot count, and keeps serving the rest', async () => {
    queueCounts = () => Promise.reject(new Error('Redis down'));
    const text = await metrics.metrics();
    expect(text).not.toMatch(/^au_queue_jobs\{/m);
    expect(text).toContain('# TYPE au_tasks_submitted_total counter');
  });

  it('uses its own registry, not prom-client\'s global one, in Prometheus text format', () => {
    expect(metrics.registry).not.toBe(register);
    expect(metrics.registry.getSingleMetric('au_tasks_submitted_total')).toBeDefined();
    expect(register.getSingleMetric('au_tasks_submitted_total')).toBeUndefined();
    expect(metrics.contentType).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
  });

  it('stops counting once destroyed (hooks unregistered)', () => {
    metrics.onModuleDestroy();
    hooks.emit('onSubmit', { id: '1', task: 'a' } as never);
    expect(metrics.snapshot()).toEqual({});
  });
});

import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { TaskService } from '@au/nestjs';
import { randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from './fixtures/create-test-app';
import type { TestAppOptions } from './fixtures/test-app.module';
import { eventually } from './harness/http-client';
import { sharedRedisUrl } from './harness/shared-redis';

/**
 * OpenTelemetry in one process with the SDK's in-memory exporter: au.submit (producer) under the active span, au.run
 * (consumer) per attempt under the submit span, through the memory job and through Bull's job data in Redis.
 */
// One provider for the file: au gets its tracer once, as apps register their SDK once.
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(() => {
  provider.register();
});

afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

describe.each<[string, () => Partial<TestAppOptions>]>([
  ['memory', () => ({ backend: 'memory' })],
  ['bull', () => ({ backend: 'bull', redisUrl: sharedRedisUrl(), prefix: `ot${randomUUID().slice(0, 8)}` })],
])('OpenTelemetry spans (%s)', (_name, options) => {
  let t: TestApp;
  let tasks: TaskService;

  beforeAll(async () => {
    t = await createTestApp({ backend: 'memory', ...options() });
    tasks = t.app.get(TaskService);
  });

  afterAll(async () => {
    await t?.close();
  });

  beforeEach(() => exporter.reset());

  /** Submits `task` inside an active span (as an HTTP server span would be) and waits for its end. */
  async function submitUnder(task: string, input: unknown) {
    const parent = trace.getTracer('test').startSpan('GET /parent');
    const handle = await context.with(trace.setSpan(context.active(), parent), () =>
      tasks.submit(task, input, { requestId: 'trace-req' }),
    );
    parent.end();
    await handle.result({ timeoutMs: 10_000 }).catch(() => undefined);
    return { id: handle.id, parent };
  }

  const spans = (name: string, count: number) =>
    eventually(async () => {
      const found = exporter.getFinishedSpans().filter((span) => span.name === name);
      return found.length >= count ? found : undefined;
    }, 5000, `${count} ${name} span(s)`);

  it('makes au.submit a producer span under the active one, and au.run a consumer span under it; the record keeps the trace id', async () => {
    const { id, parent } = await submitUnder('noop', {});
    const [submit] = await spans('au.submit noop', 1);
    const [run] = await spans('au.run noop', 1);
    expect(submit.kind).toBe(SpanKind.PRODUCER);
    expect(submit.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(submit.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(submit.attributes).toMatchObject({ 'au.task.name': 'noop', 'au.task.id': id, 'au.request_id': 'trace-req' });
    expect(run.kind).toBe(SpanKind.CONSUMER);
    expect(run.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(run.parentSpanContext?.spanId).toBe(submit.spanContext().spanId);
    expect(run.attributes).toMatchObject({ 'au.task.name': 'noop', 'au.task.id': id, 'au.task.attempt': 1, 'au.request_id': 'trace-req' });
    expect(run.status.code).not.toBe(SpanStatusCode.ERROR);
    const record = await t.http.get(`/tasks/${id}`);
    expect(record.body.traceId).toBe(parent.spanContext().traceId);
  });

  it('makes each retry its own run span; a failed attempt is an error with its exception recorded', async () => {
    const { id } = await submitUnder('flaky', { failTimes: 2 });
    const [submit] = await spans('au.submit flaky', 1);
    const runs = (await spans('au.run flaky', 3)).filter((span) => span.attributes['au.task.id'] === id);
    const byAttempt = new Map<unknown, ReadableSpan>(runs.map((span) => [span.attributes['au.task.attempt'], span]));
    expect([...byAttempt.keys()].sort()).toEqual([1, 2, 3]);
    for (const span of runs) expect(span.parentSpanContext?.spanId).toBe(submit.spanContext().spanId);
    for (const attempt of [1, 2]) {
      const span = byAttempt.get(attempt)!;
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: `flaky failure ${attempt} of 2` });
      const exception = span.events.find((event) => event.name === 'exception');
      expect(exception?.attributes).toMatchObject({ 'exception.message': `flaky failure ${attempt} of 2`, 'exception.type': 'Error' });
    }
    expect(byAttempt.get(3)!.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it('marks a failed task run as an error', async () => {
    await submitUnder('fail', { message: 'traced failure' });
    const [run] = await spans('au.run fail', 1);
    expect(run.status).toEqual({ code: SpanStatusCode.ERROR, message: 'traced failure' });
    expect(run.attributes['au.task.outcome']).toBe('failed');
  });
});

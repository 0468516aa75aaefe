import { randomUUID } from 'node:crypto';
import { describeTaskEventsContract } from './contract/task-events-contract';
import { AppProcess } from './harness/app-process';
import { eventually, http } from './harness/http-client';
import { sharedRedisUrl } from './harness/shared-redis';

const prefix = () => `ep${randomUUID().slice(0, 8)}`;

/** An API process and a worker process of the built app on the e2e run's redis-server, with a fresh prefix. */
async function apiAndWorker(env: Record<string, string> = {}) {
  const p = prefix();
  const [api, worker] = await Promise.all([
    AppProcess.start({ role: 'api', redisUrl: sharedRedisUrl(), prefix: p, env }),
    AppProcess.start({ role: 'worker', redisUrl: sharedRedisUrl(), prefix: p, env }),
  ]);
  return {
    api,
    worker,
    url: api.url,
    close: async () => {
      await Promise.all([api.stop(), worker.stop()]);
    },
  };
}

// The events of tasks that a worker process runs, followed through an API process: all of it crosses Redis.
describeTaskEventsContract('bull, task in a worker process', () => apiAndWorker());

/** The spans ConsoleSpanExporter printed (util.inspect of each): trace id, parent span id, name and id. */
function printedSpans(lines: string[]) {
  const text = lines.join('\n');
  const pattern =
    /traceId: '(\w+)',\n\s+parentSpanContext: (?:undefined|\{[^}]*?spanId: '(\w+)'[^}]*\}),\n\s+traceState: \w+,\n\s+name: '([^']+)',\n\s+id: '(\w+)',\n\s+kind: (\d)/g;
  return [...text.matchAll(pattern)].map(([, traceId, parentId, name, id, kind]) => ({ traceId, parentId, name, id, kind: Number(kind) }));
}

describe('OpenTelemetry across an API and a worker process (OTEL_TRACES_EXPORTER=console)', () => {
  let app: Awaited<ReturnType<typeof apiAndWorker>>;

  beforeAll(async () => {
    app = await apiAndWorker({ OTEL_TRACES_EXPORTER: 'console', OTEL_SERVICE_NAME: 'au-e2e' });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  it('prints the spans of a request sent with a traceparent with its trace id in both: HTTP server, au.submit, then au.run in the worker', async () => {
    const traceId = randomUUID().replace(/-/g, '');
    const callerSpan = randomUUID().replace(/-/g, '').slice(0, 16);
    const res = await http('POST', `${app.url}/tasks/noop?wait=10`, {}, { traceparent: `00-${traceId}-${callerSpan}-01` });
    expect(res.status).toBe(200);
    expect(res.body.traceId).toBe(traceId);
    expect((await http('GET', `${app.url}/tasks/${res.body.id}`)).body.traceId).toBe(traceId);
    const submit = await eventually(async () => printedSpans(app.api.lines).find((s) => s.traceId === traceId && s.name === 'au.submit noop'), 10_000, 'au.submit printed');
    const run = await eventually(async () => printedSpans(app.worker.lines).find((s) => s.traceId === traceId && s.name === 'au.run noop'), 10_000, 'au.run printed');
    const server = await eventually(async () => printedSpans(app.api.lines).find((s) => s.traceId === traceId && s.id === submit.parentId), 10_000, 'HTTP span printed');
    // The HTTP instrumentation's server span continues the caller's traceparent; au.submit (producer, kind 3) is
    // its child, and au.run (consumer, kind 4) in the other process the child of au.submit.
    expect(server.parentId).toBe(callerSpan);
    expect(server.kind).toBe(1);
    expect(submit.kind).toBe(3);
    expect(run).toMatchObject({ parentId: submit.id, kind: 4 });
  });
});

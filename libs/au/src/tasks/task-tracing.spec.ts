import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { TaskRecord } from '../core/task-record';
import { RunSpan, SubmitSpan, traceCarrier, traceIdOf } from './task-tracing';

function record(): TaskRecord {
  return { id: '00000000-0000-4000-8000-000000000001', task: 'noop', status: 'pending', attempts: 0, maxAttempts: 1, progress: 0, createdAt: 0 };
}

const job = { id: '00000000-0000-4000-8000-000000000001', task: 'noop', attempt: 1 };

describe('task tracing', () => {
  describe('without an SDK', () => {
    it('starts no span, records no trace id and carries nothing', () => {
      const r = record();
      const submit = new SubmitSpan(r);
      expect(submit.with(() => traceCarrier())).toBeUndefined();
      submit.end();
      expect(r.traceId).toBeUndefined();
      const run = new RunSpan(job);
      expect(run.context).toBe(ROOT_CONTEXT);
      expect(run.with(() => trace.getSpan(context.active()))).toBeUndefined();
      run.end({ status: 'completed' });
    });
  });

  describe('with an SDK registered', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

    beforeAll(() => provider.register());
    afterAll(async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
    });

    it('starts a new trace for a submit with no span around it, and the run continues it', () => {
      const r = record();
      const submit = new SubmitSpan(r);
      const carrier = submit.with(() => traceCarrier());
      submit.end();
      expect(r.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(traceIdOf(carrier)).toBe(r.traceId);
      const run = new RunSpan({ ...job, trace: carrier });
      run.end({ status: 'completed' });
      const spans = exporter.getFinishedSpans();
      expect(spans.map((s) => s.name)).toEqual(['au.submit noop', 'au.run noop']);
      expect(spans.every((s) => s.spanContext().traceId === r.traceId)).toBe(true);
    });
  });
});

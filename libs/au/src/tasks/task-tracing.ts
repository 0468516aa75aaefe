import {
  Context,
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { TaskRecord } from '../core/task-record';

/**
 * OpenTelemetry through `@opentelemetry/api` alone: the app registers an SDK or not. Without one, every call below
 * lands on the API's no-op tracer and propagator (no span is recorded, nothing is injected), so an app that does not
 * trace pays for a few calls and no allocation beyond a non-recording span.
 */
const tracer = trace.getTracer('au-nestjs');

/** W3C trace context (`traceparent`, `tracestate`) of a submit span, carried in the job to the run. */
export type TraceCarrier = Record<string, string>;

/** Span attributes of a task (au's own names and the messaging conventions for the queue side). */
function taskAttributes(task: string, id: string, requestId?: string): Record<string, string> {
  const attributes: Record<string, string> = {
    'au.task.name': task,
    'au.task.id': id,
    'messaging.destination.name': task,
    'messaging.message.id': id,
  };
  if (requestId) attributes['au.request_id'] = requestId;
  return attributes;
}

/** The submit of one task: an `au.submit <task>` producer span under the active context. */
export class SubmitSpan {
  private readonly span: Span;
  private readonly active: Context;
  /** The active context with the submit span in it: what the backend puts in the job (see `traceCarrier`). */
  readonly context: Context;

  constructor(record: TaskRecord) {
    const active = (this.active = context.active());
    this.span = tracer.startSpan(`au.submit ${record.task}`, { kind: SpanKind.PRODUCER }, active);
    const spanContext = this.span.spanContext();
    if (!isSpanContextValid(spanContext)) {
      // No tracer and no trace to continue: nothing to record or carry.
      this.context = active;
      return;
    }
    this.context = trace.setSpan(active, this.span);
    record.traceId = spanContext.traceId;
    if (this.span.isRecording()) {
      this.span.setAttributes({ ...taskAttributes(record.task, record.id, record.requestId), 'messaging.operation.type': 'send' });
    }
  }

  /** Runs `fn` with the submit span active: a backend's `enqueue` reads it there. */
  with<T>(fn: () => T): T {
    return this.context === this.active ? fn() : context.with(this.context, fn);
  }

  end(error?: unknown): void {
    if (!this.span.isRecording()) return;
    if (error !== undefined) failSpan(this.span, error);
    this.span.end();
  }
}

/** The W3C trace context of the active span, for a job; undefined when there is none to carry (no SDK). */
export function traceCarrier(): TraceCarrier | undefined {
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? carrier : undefined;
}

/** The trace id a carrier names, if any (`traceparent`: version-traceid-spanid-flags). */
export function traceIdOf(carrier: TraceCarrier | undefined): string | undefined {
  return carrier?.traceparent?.split('-')[1];
}

/** One attempt of a task: an `au.run <task>` consumer span whose parent is the submit span the job carries. */
export class RunSpan {
  private readonly span: Span;
  readonly context: Context;

  constructor(job: { id: string; task: string; attempt: number; requestId?: string; trace?: TraceCarrier }) {
    const parent = job.trace ? propagation.extract(ROOT_CONTEXT, job.trace) : ROOT_CONTEXT;
    this.span = tracer.startSpan(`au.run ${job.task}`, { kind: SpanKind.CONSUMER }, parent);
    this.context = isSpanContextValid(this.span.spanContext()) ? trace.setSpan(parent, this.span) : parent;
    if (this.span.isRecording()) {
      this.span.setAttributes({ ...taskAttributes(job.task, job.id, job.requestId), 'au.task.attempt': job.attempt, 'messaging.operation.type': 'process' });
    }
  }

  /** Runs `fn` (the attempt) with the run span active: spans of the task's code, and tasks it submits, are its children. */
  with<T>(fn: () => T): T {
    // Nothing to make active without a trace (no SDK, no carrier): the API's no-op context needs no call.
    return this.context === ROOT_CONTEXT ? fn() : context.with(this.context, fn);
  }

  /** Ends the span with how the attempt ended: a failure (retried or not) is an error with its exception. */
  end(outcome: { status: string; error?: unknown }): void {
    if (!this.span.isRecording()) return;
    this.span.setAttribute('au.task.outcome', outcome.status);
    if (outcome.status === 'failed' || outcome.status === 'retrying') failSpan(this.span, outcome.error);
    this.span.end();
  }
}

function failSpan(span: Span, error: unknown): void {
  const exception = error instanceof Error ? error : new Error(String(error));
  span.recordException(exception);
  span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
}

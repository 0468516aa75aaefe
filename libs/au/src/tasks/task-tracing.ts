import {
  Context,
  context,
  isSpanContextValid,
  propagation,
  ProxyTracerProvider,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { TaskRecord } from '../core/task-record';

/**
 * OpenTelemetry through `@opentelemetry/api` alone: the app registers an SDK or not. Without one, and without a trace
 * to continue, au starts no span at all (see `tracerRegistered`), so an app that does not trace pays for two lookups
 * per submit and per attempt.
 */
const tracer = trace.getTracer('au-nestjs');

/** The API's no-op provider: what the global provider hands over to until an SDK registers one. */
const NO_PROVIDER = new ProxyTracerProvider().getDelegate();

/**
 * Whether an SDK registered a tracer provider. Without one, and with no span in the context to continue, a span would
 * be the no-op tracer's, with nothing to record or carry: au makes none. Another copy of the API (not the proxy this
 * one knows) counts as registered, since the full path is right either way.
 */
function tracerRegistered(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NO_PROVIDER;
}

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
  private readonly span?: Span;
  private readonly active: Context;
  /** The active context with the submit span in it: what the backend puts in the job (see `traceCarrier`). */
  readonly context: Context;

  constructor(record: TaskRecord) {
    const active = (this.active = this.context = context.active());
    if (!tracerRegistered() && !trace.getSpan(active)) return;
    this.span = tracer.startSpan(`au.submit ${record.task}`, { kind: SpanKind.PRODUCER }, active);
    const spanContext = this.span.spanContext();
    // No trace to continue and a tracer that records none (sampled out): nothing to record or carry.
    if (!isSpanContextValid(spanContext)) return;
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
    if (!this.span?.isRecording()) return;
    if (error !== undefined) failSpan(this.span, error);
    this.span.end();
  }
}

/** The W3C trace context of the active span, for a job; undefined when there is none to carry (no SDK). */
export function traceCarrier(): TraceCarrier | undefined {
  const active = context.active();
  // `traceparent` names a span: without one in the context there is nothing to carry.
  if (!trace.getSpan(active)) return undefined;
  const carrier: TraceCarrier = {};
  propagation.inject(active, carrier);
  return carrier.traceparent ? carrier : undefined;
}

/** The trace id a carrier names, if any (`traceparent`: version-traceid-spanid-flags). */
export function traceIdOf(carrier: TraceCarrier | undefined): string | undefined {
  return carrier?.traceparent?.split('-')[1];
}

/** One attempt of a task: an `au.run <task>` consumer span whose parent is the submit span the job carries. */
export class RunSpan {
  private readonly span?: Span;
  readonly context: Context = ROOT_CONTEXT;

  constructor(job: { id: string; task: string; attempt: number; requestId?: string; trace?: TraceCarrier }) {
    if (!job.trace && !tracerRegistered()) return;
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
    if (!this.span?.isRecording()) return;
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

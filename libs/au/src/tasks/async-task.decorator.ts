import { SetMetadata } from '@nestjs/common';
import { AU_TASK_METADATA } from '../core/au.tokens';
import type { AsyncTaskOptions } from './async-task.options';

/**
 * Turns a provider method into an asynchronous task with its own endpoint, `POST /tasks/{name}`.
 * The method is called as `(input, ctx: TaskContext)`; list its class in `AuModule.forRoot({ tasks })`.
 *
 * @example
 * @AsyncTask({ name: 'render-report', input: RenderReportDto, timeoutMs: 60_000, attempts: 3 })
 * render(input: RenderReportDto, ctx: TaskContext) { ... }
 */
export const AsyncTask = (options: AsyncTaskOptions = {}): MethodDecorator => SetMetadata(AU_TASK_METADATA, options);

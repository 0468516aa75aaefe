import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { ClsServiceManager } from 'nestjs-cls';
import { AU_CLS_REQUEST_ID, AU_CLS_TASK } from '../core/au.constants';

/** The request id and task id of the current CLS context, if any. */
export function currentTrace(): { requestId?: string; taskId?: string } {
  const cls = ClsServiceManager.getClsService();
  if (!cls.isActive()) return {};
  const task = cls.get(AU_CLS_TASK) as { id?: string } | undefined;
  return { requestId: cls.get(AU_CLS_REQUEST_ID), taskId: task?.id };
}

/**
 * Nest's console logger with `requestId` and `taskId` from the CLS context on every line, in text
 * (`[requestId=… taskId=…]`) and JSON (`json: true`) modes. Use it with `app.useLogger(new AuLogger())`.
 */
export class AuLogger extends ConsoleLogger {
  protected override formatContext(context: string): string {
    const { requestId, taskId } = currentTrace();
    const trace = [requestId && `requestId=${requestId}`, taskId && `taskId=${taskId}`].filter(Boolean).join(' ');
    return super.formatContext(context) + (trace ? this.colorizeTrace(`[${trace}] `) : '');
  }

  protected override getJsonLogObject(
    message: unknown,
    options: { context: string; logLevel: LogLevel; writeStreamType?: 'stdout' | 'stderr'; errorStack?: unknown },
  ) {
    return Object.assign(super.getJsonLogObject(message, options), currentTrace());
  }

  private colorizeTrace(text: string): string {
    return this.options.colors === false || process.env.NO_COLOR ? text : `\x1B[36m${text}\x1B[39m`;
  }
}

import { Injectable, NestMiddleware } from '@nestjs/common';
import { ClsServiceManager, CLS_ID } from 'nestjs-cls';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AU_CLS_REQUEST_ID } from '../core/au.constants';
import { assignRequestId } from './request-id';

/**
 * Accepts a sane `X-Request-ID` or makes one, echoes it on every response, and puts it in the CLS context. Works
 * alone, or inside the context of an app's own `ClsModule` middleware (nested contexts inherit, nothing is lost).
 */
@Injectable()
export class RequestIdMiddleware implements NestMiddleware {
  use(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void {
    // Idempotent: setupAu() sets the id before the body parser too, so parser errors carry the header.
    const requestId = assignRequestId(req, res);
    const cls = ClsServiceManager.getClsService();
    const enter = () => {
      cls.set(AU_CLS_REQUEST_ID, requestId);
      cls.setIfUndefined(CLS_ID, requestId);
      next();
    };
    if (cls.isActive()) enter();
    else cls.run(enter);
  }
}

import { Injectable, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ClsService, ClsServiceManager } from 'nestjs-cls';
import { RequestIdMiddleware } from './request-id.middleware';

/** Where `RequestIdMiddleware` runs: set by `setupAu()` when it mounts it app-wide, ahead of the body parser. */
@Injectable()
export class RequestIdMount {
  mountedByApp = false;
}

/**
 * Request ids: header in and out, CLS context for the request and for every task it submits. Provides `ClsService`
 * (nestjs-cls' one global instance) so task code can inject it with `AuModule.forRoot` alone; an app that imports
 * `ClsModule.forRoot` itself gets the very same instance, and au mounts no second ClsMiddleware.
 */
@Module({
  providers: [{ provide: ClsService, useFactory: () => ClsServiceManager.getClsService() }, RequestIdMount],
  exports: [ClsService],
})
export class TrackingModule implements NestModule {
  constructor(private readonly mount: RequestIdMount) {}

  configure(consumer: MiddlewareConsumer): void {
    // Mounted once per request: here for apps that do not call setupAu() (or on Fastify, where setupAu() only sets
    // the header early), otherwise by setupAu() for every route already.
    if (this.mount.mountedByApp) return;
    consumer.apply(RequestIdMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}

import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ClsService, ClsServiceManager } from 'nestjs-cls';
import { RequestIdMiddleware } from './request-id.middleware';

/**
 * Request ids: header in and out, CLS context for the request and for every task it submits. Provides `ClsService`
 * (nestjs-cls' one global instance) so task code can inject it with `AuModule.forRoot` alone; an app that imports
 * `ClsModule.forRoot` itself gets the very same instance, and au mounts no second ClsMiddleware.
 */
@Module({
  providers: [{ provide: ClsService, useFactory: () => ClsServiceManager.getClsService() }],
  exports: [ClsService],
})
export class TrackingModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestIdMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}

import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { AuRole } from '../core/au.options';
import { AuHealthIndicator } from './au.health-indicator';
import { HealthController } from './health.controller';

/** Terminus health checks; `AuHealthIndicator` is exported for apps' own health controllers. */
@Module({})
export class HealthModule {
  static register(role: AuRole, tasks: DynamicModule): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false }), tasks],
      controllers: role === 'worker' ? [] : [HealthController],
      providers: [AuHealthIndicator],
      exports: [AuHealthIndicator],
    };
  }
}

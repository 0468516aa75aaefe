import { Module, UseGuards } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { AuModuleExtras, AuModuleOptions } from '@au/nestjs';
import { DemoAuthService } from './demo-auth.service';
import { DemoBearerGuard, DemoRequest } from './demo-bearer.guard';

/** The app's own authentication module (not global): au's routes get its service through `http.imports`. */
@Module({ providers: [DemoAuthService], exports: [DemoAuthService] })
export class DemoAuthModule {
  /**
   * The `AuModule.forRoot` options of DEMO_AUTH=on: the bearer guard (and its Swagger requirement) on every au route,
   * the caller as the owner of the tasks it submits, and task stats reserved to the caller `admin`.
   */
  static auOptions(): Pick<AuModuleExtras, 'http'> & Pick<AuModuleOptions, 'owner' | 'statsAccess'> {
    return {
      http: { imports: [DemoAuthModule], decorators: [UseGuards(DemoBearerGuard), ApiBearerAuth()] },
      owner: (request: DemoRequest) => request.user?.name,
      statsAccess: (request: DemoRequest) => request.user?.name === 'admin',
    };
  }
}

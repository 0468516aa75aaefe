import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { DemoAuthService } from './demo-auth.service';

/** What the guard leaves on the request: the caller, which `forRoot({ owner })` reads. */
export interface DemoRequest {
  headers: Record<string, string | string[] | undefined>;
  user?: { name: string };
}

/**
 * `Authorization: Bearer <name>` or `401`. It injects DemoAuthService from DemoAuthModule, which au's routes can
 * resolve because the app passes that module in `forRoot({ http: { imports } })`.
 */
@Injectable()
export class DemoBearerGuard implements CanActivate {
  constructor(private readonly auth: DemoAuthService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<DemoRequest>();
    const name = this.auth.callerOf(request.headers.authorization);
    if (!name) {
      // RFC 9110: a 401 names the scheme it wants.
      context.switchToHttp().getResponse<{ header(name: string, value: string): unknown }>().header('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException('Send Authorization: Bearer <name>, the name being 1 to 32 of a-z and 0-9');
    }
    request.user = { name };
    return true;
  }
}

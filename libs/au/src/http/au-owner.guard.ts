import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { ResolvedAuOptions } from '../core/au.options';
import { AU_OPTIONS } from '../core/au.tokens';
import { AU_CALLER_OWNER, OwnedRequest } from './caller-owner.decorator';

/**
 * On every au route, after the app's guards (so it sees what they put on the request): with `forRoot({ owner })`,
 * finds the caller's owner, answers `401` without one, and leaves it for the route (`@CallerOwner()`). Without
 * `owner`, lets everything through.
 */
@Injectable()
export class AuOwnerGuard implements CanActivate {
  constructor(@Inject(AU_OPTIONS) private readonly options: ResolvedAuOptions) {}

  canActivate(context: ExecutionContext): boolean {
    const ownerOf = this.options.owner;
    if (!ownerOf) return true;
    const request = context.switchToHttp().getRequest<OwnedRequest>();
    const owner = ownerOf(request);
    if (typeof owner !== 'string' || owner === '') {
      throw new UnauthorizedException('This route needs an authenticated caller, and the request names none');
    }
    request[AU_CALLER_OWNER] = owner;
    return true;
  }
}

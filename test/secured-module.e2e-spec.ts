import {
  CallHandler,
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  INestApplication,
  Module,
  NestInterceptor,
  UseGuards,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AuModule, setupAu } from '@au/nestjs';
import type { Observable } from 'rxjs';
import { DemoTasks } from '../src/demo/demo.tasks';

interface KeyedRequest {
  headers: Record<string, string | undefined>;
  caller?: string;
}

/** The app's own service, in a module of its own (not global): which API keys belong to whom. */
@Injectable()
class ApiKeys {
  private readonly owners = new Map([
    ['key-a', 'team-a'],
    ['key-b', 'team-b'],
  ]);

  ownerOf(key: string | undefined): string | undefined {
    return key === undefined ? undefined : this.owners.get(key);
  }
}

@Module({ providers: [ApiKeys], exports: [ApiKeys] })
class ApiKeysModule {}

/** Puts the caller of a known `X-Api-Key` on the request, and lets unknown callers through: au's owner option decides. */
@Injectable()
class ApiKeyGuard implements CanActivate {
  constructor(private readonly keys: ApiKeys) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<KeyedRequest>();
    req.caller = this.keys.ownerOf(req.headers['x-api-key']);
    return true;
  }
}

/** The app's global guard: refuses any request carrying `X-Blocked`. */
@Injectable()
class BlockGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.switchToHttp().getRequest<KeyedRequest>().headers['x-blocked']) throw new ForbiddenException('blocked by the app');
    return true;
  }
}

/** The app's global interceptor: marks every answer. */
@Injectable()
class MarkInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    context.switchToHttp().getResponse<{ header(name: string, value: string): unknown }>().header('X-App-Global', 'yes');
    return next.handle();
  }
}

/** An app whose runtime options (the owner among them) come from forRootAsync's factory. */
@Module({
  imports: [
    AuModule.forRootAsync({
      tasks: [DemoTasks],
      http: { imports: [ApiKeysModule], decorators: [UseGuards(ApiKeyGuard)] },
      useFactory: () => ({ owner: (req: KeyedRequest) => req.caller }),
    }),
  ],
  providers: [
    { provide: APP_GUARD, useClass: BlockGuard },
    { provide: APP_INTERCEPTOR, useClass: MarkInterceptor },
  ],
})
class AsyncSecuredAppModule {}

describe.each(['express', 'fastify'] as const)('owner from forRootAsync, with the app\'s global enhancers (%s)', (platform) => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AsyncSecuredAppModule] }).compile();
    app =
      platform === 'fastify'
        ? moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false })
        : moduleRef.createNestApplication({ logger: false });
    setupAu(app);
    await app.init();
    if (platform === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
    http = request(app.getHttpServer());
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers 401 JSON when the owner function finds no caller', async () => {
    const res = await http.post('/tasks/noop').send({});
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, message: expect.stringMatching(/authenticated caller/) });
    expect((await http.get('/tasks').set('X-Api-Key', 'nope')).status).toBe(401);
  });

  it('scopes tasks by the owner the injected guard found', async () => {
    const created = await http.post('/tasks/factorial?wait=5').set('X-Api-Key', 'key-a').send({ n: 4 });
    expect(created.status).toBe(200);
    expect(created.body.result).toBe('24');
    expect((await http.get(`/tasks/${created.body.id}`).set('X-Api-Key', 'key-a')).status).toBe(200);
    expect((await http.get(`/tasks/${created.body.id}`).set('X-Api-Key', 'key-b')).status).toBe(404);
  });

  it('runs the app\'s global guard and interceptor on au\'s routes as on any controller', async () => {
    const blocked = await http.get('/tasks').set('X-Api-Key', 'key-a').set('X-Blocked', '1');
    expect(blocked.status).toBe(403);
    expect(blocked.body).toMatchObject({ statusCode: 403, message: 'blocked by the app' });
    const listed = await http.get('/tasks').set('X-Api-Key', 'key-a');
    expect(listed.status).toBe(200);
    expect(listed.headers['x-app-global']).toBe('yes');
  });
});

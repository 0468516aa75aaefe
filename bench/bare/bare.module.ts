import { BullModule, InjectQueue } from '@nestjs/bull';
import { Body, Controller, DynamicModule, HttpCode, Injectable, Module, OnApplicationBootstrap, Post, ValidationPipe } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { CLS_ID, ClsService, ClsServiceManager } from 'nestjs-cls';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BullCompletions } from './bull-completions';

/**
 * The bare baseline: what an app writes with @nestjs/bull alone. `POST /tasks/noop` adds the body as a job and answers
 * 202 with its id; in the `all` role the same process also runs the jobs and the request waits for the result (on the
 * queue's local events), as au's `?wait=` does.
 */
@Controller('tasks')
class BareTasksController {
  constructor(@InjectQueue('noop') private readonly queue: Queue) {}

  @Post('noop')
  @HttpCode(202)
  async submit(@Body() body: unknown) {
    const job = await this.queue.add(body);
    return { id: String(job.id), status: 'pending' };
  }
}

class NoopDto {}

/** The body validated as au validates a task's input: whitelist, forbid unknown fields, transform. */
const ValidatedBody = () => Body(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The `features` role: the HTTP features of au's submit written by hand with Nest and nestjs-cls (row 1's second
 * baseline). The body is validated by ValidationPipe (whitelist, forbid unknown fields, transform) against the
 * task's input class; `X-Request-ID` is accepted if sane or made, echoed, kept in the request's nestjs-cls context
 * (requestIdMiddleware below) and put on the job. No record of its own: its status would be Bull's job.
 */
@Controller('tasks')
class BareFeaturesTasksController {
  constructor(
    @InjectQueue('noop') private readonly queue: Queue,
    private readonly cls: ClsService,
  ) {}

  @Post('noop')
  @HttpCode(202)
  async submit(@ValidatedBody() body: NoopDto) {
    const requestId = this.cls.getId();
    const job = await this.queue.add({ input: body, requestId });
    return { id: String(job.id), status: 'pending', requestId };
  }
}

/**
 * The features role's request ids: a middleware mounted app-wide with `app.use` (bare/main.ts) that runs the rest of
 * the request in a nestjs-cls context holding the id, as au's RequestIdMiddleware does. Not ClsModule.forRoot's
 * ClsMiddleware (which needs the module): the module also registers a global guard and interceptor (no-ops unless
 * mounted), and any global interceptor makes Nest bind async resources on every request, which on Node 20 costs a
 * bare app a large share of its throughput (bench/README.md). The baseline is the faster way.
 */
export function requestIdMiddleware(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  const cls = ClsServiceManager.getClsService();
  return (req, res, next) => {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
    res.setHeader('X-Request-ID', requestId);
    cls.run(() => {
      cls.set(CLS_ID, requestId);
      next();
    });
  };
}

/** Runs the noop jobs in this process, at concurrency 1 as au's demo `noop` task does, and reports them done. */
@Injectable()
class BareWorker implements OnApplicationBootstrap {
  readonly completions: BullCompletions;

  constructor(@InjectQueue('noop') protected readonly queue: Queue) {
    this.completions = new BullCompletions(queue);
  }

  onApplicationBootstrap(): void {
    void this.queue.process(1, async () => null);
  }
}

@Controller('tasks')
class BareWaitingTasksController {
  constructor(
    @InjectQueue('noop') private readonly queue: Queue,
    private readonly worker: BareWorker,
  ) {}

  @Post('noop')
  @HttpCode(200)
  async submit(@Body() body: unknown) {
    const job = await this.queue.add(body);
    const result = await this.worker.completions.wait(job.id);
    return { id: String(job.id), status: 'completed', result: result ?? null };
  }
}

/**
 * The `features-all` role (row 3's second baseline): `all` with au's features written by hand as in `features`, the
 * body validated, the request id in the request's nestjs-cls context and on the job, and each job run inside a
 * nestjs-cls context holding it, as au's worker does.
 */
@Injectable()
class BareFeaturesWorker extends BareWorker {
  override onApplicationBootstrap(): void {
    const cls = ClsServiceManager.getClsService();
    void this.queue.process(1, async (job: Job<{ requestId?: string }>) =>
      cls.runWith({}, () => {
        if (job.data.requestId !== undefined) cls.set(CLS_ID, job.data.requestId);
        return null;
      }),
    );
  }
}

@Controller('tasks')
class BareFeaturesWaitingTasksController {
  constructor(
    @InjectQueue('noop') private readonly queue: Queue,
    private readonly worker: BareFeaturesWorker,
    private readonly cls: ClsService,
  ) {}

  @Post('noop')
  @HttpCode(200)
  async submit(@ValidatedBody() body: NoopDto) {
    const requestId = this.cls.getId();
    const job = await this.queue.add({ input: body, requestId });
    const result = await this.worker.completions.wait(job.id);
    return { id: String(job.id), status: 'completed', requestId, result: result ?? null };
  }
}

/**
 * api: submit only; features: submit with au's HTTP features written by hand; all: submit, run and wait;
 * features-all: `all` with the features.
 */
export type BareRole = 'api' | 'features' | 'all' | 'features-all';

@Module({})
export class BareModule {
  static register(redisUrl: string, prefix: string, role: BareRole): DynamicModule {
    const controller = {
      api: BareTasksController,
      features: BareFeaturesTasksController,
      all: BareWaitingTasksController,
      'features-all': BareFeaturesWaitingTasksController,
    }[role];
    const cls = { provide: ClsService, useFactory: () => ClsServiceManager.getClsService() };
    return {
      module: BareModule,
      imports: [BullModule.forRoot({ redis: redisUrl, prefix }), BullModule.registerQueue({ name: 'noop' })],
      controllers: [controller],
      providers: {
        api: [],
        features: [cls],
        all: [BareWorker],
        'features-all': [cls, BareFeaturesWorker],
      }[role],
    };
  }
}

import { BullModule, InjectQueue } from '@nestjs/bull';
import { Body, Controller, DynamicModule, HttpCode, Injectable, Module, OnApplicationBootstrap, Post } from '@nestjs/common';
import type { Queue } from 'bull';
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

/** Runs the noop jobs in this process, at concurrency 1 as au's demo `noop` task does, and reports them done. */
@Injectable()
class BareWorker implements OnApplicationBootstrap {
  readonly completions: BullCompletions;

  constructor(@InjectQueue('noop') private readonly queue: Queue) {
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

@Module({})
export class BareModule {
  static register(redisUrl: string, prefix: string, role: 'api' | 'all'): DynamicModule {
    return {
      module: BareModule,
      imports: [BullModule.forRoot({ redis: redisUrl, prefix }), BullModule.registerQueue({ name: 'noop' })],
      controllers: [role === 'all' ? BareWaitingTasksController : BareTasksController],
      providers: role === 'all' ? [BareWorker] : [],
    };
  }
}

import { OnQueueCompleted, Process, Processor } from '@nestjs/bull';
import type { Type } from '@nestjs/common';
import type { Job } from 'bull';
import { pascalCase } from '../../core/naming';
import type { TaskDefinition } from '../../tasks/task-definition';
import type { AuJobData } from './bull-job';
import { BullTaskWorker } from './bull-task.worker';

/**
 * A Bull processor of its own for one task, built at module definition: `@Processor(name)` with one `@Process` at
 * the task's concurrency, found by @nestjs/bull's explorer like any hand-written processor. `@OnQueueCompleted`
 * hears the jobs this process completed (Bull's local event, after Redis has the result).
 */
export function createTaskProcessor(definition: TaskDefinition): Type<unknown> {
  @Processor(definition.name)
  class GeneratedTaskProcessor {
    constructor(readonly worker: BullTaskWorker) {}

    @Process({ concurrency: definition.concurrency })
    handle(job: Job<AuJobData>): Promise<unknown> {
      return this.worker.process(definition.name, job);
    }

    @OnQueueCompleted()
    completed(job: Job<AuJobData>, result: unknown): void {
      this.worker.completed(definition.name, job, result);
    }
  }
  Object.defineProperty(GeneratedTaskProcessor, 'name', { value: `${pascalCase(definition.name)}TaskProcessor` });
  return GeneratedTaskProcessor;
}

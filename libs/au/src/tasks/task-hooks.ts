import { Injectable, Logger } from '@nestjs/common';
import type { TaskError, TaskRecord } from '../core/task-record';

/** One attempt of one task, as hooks see it. */
export interface TaskRunEvent {
  id: string;
  task: string;
  attempt: number;
  requestId?: string;
  parentId?: string;
  /** When the task was submitted (epoch ms). */
  createdAt: number;
}

/**
 * Lifecycle hooks (au's middleware): implement any of these and register the object with `TaskHooks.register()`.
 * They run in the process where the thing happens (submit in the API, runs in the worker). A throwing hook is logged
 * and ignored.
 */
export interface TaskLifecycleHooks {
  onSubmit?(record: TaskRecord): void;
  beforeRun?(event: TaskRunEvent): void;
  afterRun?(event: TaskRunEvent & { result: unknown; durationMs: number }): void;
  onError?(event: TaskRunEvent & { error: TaskError; durationMs: number; willRetry: boolean }): void;
  onCancel?(event: { id: string; task: string; wasRunning: boolean }): void;
}

type HookName = keyof TaskLifecycleHooks;
type HookArg<K extends HookName> = Parameters<NonNullable<TaskLifecycleHooks[K]>>[0];

/** The registered hooks, called in registration order. */
@Injectable()
export class TaskHooks {
  private readonly logger = new Logger(TaskHooks.name);
  private readonly hooks: TaskLifecycleHooks[] = [];

  /** Adds hooks; returns a function that removes them. */
  register(hooks: TaskLifecycleHooks): () => void {
    this.hooks.push(hooks);
    return () => {
      const index = this.hooks.indexOf(hooks);
      if (index >= 0) this.hooks.splice(index, 1);
    };
  }

  emit<K extends HookName>(name: K, arg: HookArg<K>): void {
    for (const hooks of this.hooks) {
      const fn = hooks[name] as ((a: HookArg<K>) => void) | undefined;
      if (!fn) continue;
      try {
        fn.call(hooks, arg);
      } catch (error) {
        this.logger.warn(`Hook ${name} threw and was skipped: ${(error as Error)?.message ?? error}`);
      }
    }
  }
}

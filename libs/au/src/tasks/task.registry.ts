import { Injectable } from '@nestjs/common';
import type { TaskContext } from './task-context';
import type { TaskDefinition } from './task-definition';

export type TaskHandler = (input: unknown, ctx: TaskContext) => unknown;

export interface RegisteredTask {
  definition: TaskDefinition;
  handler: TaskHandler;
}

/** Runtime lookup of tasks by name, filled by the explorer once instances exist. */
@Injectable()
export class TaskRegistry {
  private readonly tasks = new Map<string, RegisteredTask>();

  add(definition: TaskDefinition, handler: TaskHandler): void {
    if (this.tasks.has(definition.name)) {
      throw new Error(`Task "${definition.name}" is registered twice.`);
    }
    this.tasks.set(definition.name, { definition, handler });
  }

  get(name: string): RegisteredTask | undefined {
    return this.tasks.get(name);
  }

  /** The task, or an Error naming the known ones (a programming error, not bad input). */
  getOrThrow(name: string): RegisteredTask {
    const task = this.tasks.get(name);
    if (!task) throw new Error(`No task named "${name}". Known tasks: ${this.names().join(', ') || '(none)'}.`);
    return task;
  }

  names(): string[] {
    return [...this.tasks.keys()];
  }

  all(): RegisteredTask[] {
    return [...this.tasks.values()];
  }
}

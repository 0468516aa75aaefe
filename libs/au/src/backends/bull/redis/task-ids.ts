import { randomUUID } from 'node:crypto';
import { AuConfigError } from '../../../core/au-config.error';

/** Hex digits at the end of an id that name its task. */
const TAG_LENGTH = 8;

/** FNV-1a, 32 bits, as 8 hex digits. */
function tagOf(task: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < task.length; i++) {
    hash ^= task.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(TAG_LENGTH, '0');
}

/**
 * Task ids that say which task they belong to: a random UUIDv4 whose last 8 hex digits are a hash of the task name
 * (90 random bits are left). A task's record is its Bull job, whose key holds the task (queue) name, so reading a
 * record by id needs the task: the id carries it, and no key of au's has to map ids to tasks.
 */
export class TaskIds {
  private readonly byTag = new Map<string, string>();
  private readonly tags = new Map<string, string>();

  constructor(tasks: string[]) {
    for (const task of tasks) {
      const tag = tagOf(task);
      const other = this.byTag.get(tag);
      if (other !== undefined && other !== task) throw AuConfigError.taskIdClash(other, task);
      this.byTag.set(tag, task);
      this.tags.set(task, tag);
    }
  }

  newId(task: string): string {
    return randomUUID().slice(0, 36 - TAG_LENGTH) + (this.tags.get(task) ?? tagOf(task));
  }

  /** The task an id belongs to, or undefined for an id no task here made. */
  taskOf(id: string): string | undefined {
    return this.byTag.get(id.slice(36 - TAG_LENGTH).toLowerCase());
  }
}

import { AuConfigError } from '../core/au-config.error';
import { AU_TASK_METADATA } from '../core/au.tokens';
import { kebabCase } from '../core/naming';
import type { AsyncTaskOptions, TaskOutput } from './async-task.options';
import type { TaskDefinition } from './task-definition';
import { checkSchedule } from './task-schedule';

const TASK_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

function isClass(value: unknown): value is Function {
  return (
    typeof value === 'function' &&
    value !== Object &&
    value !== String &&
    value !== Number &&
    value !== Boolean &&
    value !== Array &&
    value !== Promise &&
    /^class[\s{]/.test(Function.prototype.toString.call(value))
  );
}

const PRIMITIVES: readonly unknown[] = [String, Number, Boolean];

/** A class, String, Number or Boolean: what `output` (or its one array element) may be. */
function isOutputType(value: unknown): value is Function {
  return PRIMITIVES.includes(value) || isClass(value);
}

function isOutput(value: unknown): value is TaskOutput | undefined {
  if (value === undefined || value === null) return true;
  return Array.isArray(value) ? value.length === 1 && isOutputType(value[0]) : isOutputType(value);
}

/**
 * Reads `@AsyncTask()` metadata off a class. Works on the class itself (decorators have run when it is imported),
 * so `forRoot` can generate controllers before Nest registers routes.
 */
export class TaskMetadataAccessor {
  /** The definitions of every `@AsyncTask()` method of `target`, validated. */
  static definitionsOf(target: Function): TaskDefinition[] {
    const definitions: TaskDefinition[] = [];
    const seen = new Set<string>();
    for (let proto = target.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const methodName of Object.getOwnPropertyNames(proto)) {
        if (methodName === 'constructor' || seen.has(methodName)) continue;
        const descriptor = Object.getOwnPropertyDescriptor(proto, methodName);
        if (typeof descriptor?.value !== 'function') continue;
        const options: AsyncTaskOptions | undefined = Reflect.getMetadata(AU_TASK_METADATA, descriptor.value);
        if (!options) continue;
        seen.add(methodName);
        definitions.push(this.toDefinition(target, proto, methodName, options));
      }
    }
    return definitions;
  }

  private static toDefinition(target: Function, proto: object, methodName: string, options: AsyncTaskOptions): TaskDefinition {
    const name = options.name ?? kebabCase(methodName);
    if (!TASK_NAME.test(name)) throw AuConfigError.badTaskName(name);
    const paramTypes: unknown[] = Reflect.getMetadata('design:paramtypes', proto, methodName) ?? [];
    const input = options.input ?? paramTypes[0];
    if (!isClass(input)) throw AuConfigError.inputNotAClass(name, input);
    if (!isOutput(options.output)) throw AuConfigError.outputNotSupported(name, options.output);
    return {
      name,
      target,
      methodName,
      input,
      output: options.output,
      description: options.description,
      timeoutMs: options.timeoutMs,
      attempts: Math.max(1, Math.floor(options.attempts ?? 1)),
      backoff: { delayMs: 1000, factor: 2, jitter: 0, ...options.backoff },
      ttlSeconds: options.ttlSeconds,
      concurrency: Math.max(1, Math.floor(options.concurrency ?? 1)),
      decorators: options.decorators,
      ...(options.schedule ? { schedule: checkSchedule(name, options.schedule) } : {}),
    };
  }

  /** Definitions of every listed class; throws on a class without tasks or a duplicated name. */
  static collect(classes: Function[]): TaskDefinition[] {
    const byName = new Map<string, TaskDefinition>();
    for (const target of classes) {
      const definitions = this.definitionsOf(target);
      if (definitions.length === 0) throw AuConfigError.noTaskMethods(target.name);
      for (const definition of definitions) {
        const existing = byName.get(definition.name);
        if (existing) {
          throw AuConfigError.duplicateTask(
            definition.name,
            `${existing.target.name}.${existing.methodName}`,
            `${definition.target.name}.${definition.methodName}`,
          );
        }
        byName.set(definition.name, definition);
      }
    }
    return [...byName.values()];
  }
}

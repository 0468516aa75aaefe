import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { AuConfigError } from '../core/au-config.error';
import { TASK_DEFINITIONS } from '../core/au.tokens';
import type { TaskDefinition } from './task-definition';
import { TaskRegistry } from './task.registry';

/** Finds the instances of the task classes and binds their `@AsyncTask()` methods into the registry. */
@Injectable()
export class TaskExplorer implements OnModuleInit {
  private readonly logger = new Logger(TaskExplorer.name);

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly registry: TaskRegistry,
    @Inject(TASK_DEFINITIONS) private readonly definitions: TaskDefinition[],
  ) {}

  onModuleInit(): void {
    const instances = this.instancesByClass();
    for (const definition of this.definitions) {
      const instance = instances.get(definition.target);
      if (!instance) throw AuConfigError.taskNotProvided(definition.target.name);
      const method = instance[definition.methodName] as Function;
      this.registry.add(definition, method.bind(instance));
    }
    this.logger.log(`Registered ${this.definitions.length} task(s): ${this.registry.names().join(', ')}`);
  }

  /** Real class of each provider, `useValue`/`useFactory` ones included (as @nestjs/bull's explorer does). */
  private instancesByClass(): Map<Function, Record<string, unknown>> {
    const wanted = new Set(this.definitions.map((d) => d.target));
    const found = new Map<Function, Record<string, unknown>>();
    for (const wrapper of this.discovery.getProviders() as InstanceWrapper[]) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const cls = !wrapper.metatype || wrapper.inject ? instance.constructor : wrapper.metatype;
      if (wanted.has(cls) && !found.has(cls)) found.set(cls, instance);
    }
    return found;
  }
}

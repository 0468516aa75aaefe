import type { INestApplicationContext } from '@nestjs/common';
import type { AuModuleExtras, AuModuleOptions, TaskService } from '../../libs/au/src';

/**
 * The au side of an in-process round: a Nest application context with AuModule and the bench's no-op task. Loaded
 * only when au runs, so that a bare round's process never loads au, Nest or nestjs-cls (whose import enables Node's
 * async hooks for every promise of the process).
 */
export async function startAu(options: AuModuleOptions & Omit<AuModuleExtras, 'tasks'>): Promise<{ app: INestApplicationContext; tasks: TaskService }> {
  await import('reflect-metadata');
  const { Module } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');
  const { AuModule, TaskService } = await import('../../libs/au/src');
  const { BenchTasks } = await import('../bench.tasks');

  @Module({ imports: [AuModule.forRoot({ ...options, tasks: [BenchTasks] })] })
  class BenchModule {}
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.init();
  return { app, tasks: app.get(TaskService) };
}

import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BareModule, BareRole, requestIdMiddleware } from './bare.module';

/**
 * The bare Nest + @nestjs/bull app, its own process like the au reference app. Same logger as au's (Nest's console
 * logger, which logs at startup only); env BARE_REDIS_URL, BARE_PREFIX, BARE_ROLE=api|features|all|features-all, PORT.
 */
async function main(): Promise<void> {
  const roles: BareRole[] = ['api', 'features', 'all', 'features-all'];
  const role = roles.find((r) => r === process.env.BARE_ROLE) ?? 'api';
  const app = await NestFactory.create(BareModule.register(process.env.BARE_REDIS_URL!, process.env.BARE_PREFIX ?? 'bare', role));
  if (role === 'features' || role === 'features-all') app.use(requestIdMiddleware());
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3001);
  await app.listen(port, '127.0.0.1');
  Logger.log(`bare ${role} listening on http://127.0.0.1:${port}`, 'Bootstrap');
}

void main();

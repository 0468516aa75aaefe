import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { setupAu } from '@au/nestjs';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule, { bufferLogs: true });
  setupAu(app);
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port, process.env.HOST ?? '127.0.0.1');
  Logger.log(`au reference app listening on http://127.0.0.1:${port} (docs at /docs)`, 'Bootstrap');
}

void bootstrap();

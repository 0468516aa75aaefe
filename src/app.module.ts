import { Module } from '@nestjs/common';
import { AuModule } from '@au/nestjs';
import { DemoTasks } from './demo/demo.tasks';
import { TracingShutdown } from './tracing';

/** The reference app: au on the backend chosen by AU_BACKEND (memory by default), with the demo tasks. */
@Module({
  imports: [AuModule.forRoot({ tasks: [DemoTasks] })],
  providers: [TracingShutdown],
})
export class AppModule {}

import { Module } from '@nestjs/common';
import { AuModule } from '@au/nestjs';
import { DemoAuthModule } from './demo/demo-auth.module';
import { DemoTasks } from './demo/demo.tasks';
import { TracingShutdown } from './tracing';

/** DEMO_AUTH=on puts the demo bearer guard on au's routes and scopes tasks by caller; off (the default) leaves them open. */
function demoAuth() {
  const flag = process.env.DEMO_AUTH ?? 'off';
  if (flag !== 'on' && flag !== 'off') throw new Error(`DEMO_AUTH is "${flag}"; set it to "on" or "off"`);
  return flag === 'on' ? DemoAuthModule.auOptions() : {};
}

/** The reference app: au on the backend chosen by AU_BACKEND (memory by default), with the demo tasks. */
@Module({
  imports: [AuModule.forRoot({ tasks: [DemoTasks], ...demoAuth() })],
  providers: [TracingShutdown],
})
export class AppModule {}

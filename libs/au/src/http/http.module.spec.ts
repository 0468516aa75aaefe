import { Module, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { AsyncTask } from '../tasks/async-task.decorator';
import { TaskMetadataAccessor } from '../tasks/task-metadata.accessor';
import { AuHttpModule } from './http.module';

class ReportDto {}

class ReportTasks {
  @AsyncTask({ name: 'render-report', input: ReportDto })
  render(): void {}

  @AsyncTask({ name: 'send', input: ReportDto })
  send(): void {}
}

@Module({})
class TasksStub {}

/** Every route of a controller class, as `METHOD path` in the order Express will try them. */
function routesOf(controller: new () => unknown): string[] {
  const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
  return Object.getOwnPropertyNames(controller.prototype)
    .filter((name) => name !== 'constructor')
    .map((name) => (controller.prototype as Record<string, object>)[name])
    .filter((handler) => typeof handler === 'function' && Reflect.hasMetadata(PATH_METADATA, handler))
    .map((handler) => `${RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number]} /${base}/${Reflect.getMetadata(PATH_METADATA, handler) as string}`);
}

describe('AuHttpModule', () => {
  it('registers every task\'s submit route ahead of the shared routes, so a submit is not tried against /tasks/:id first', () => {
    const definitions = TaskMetadataAccessor.collect([ReportTasks]);
    const { controllers = [] } = AuHttpModule.register({ definitions, tasks: { module: TasksStub }, metrics: { module: TasksStub }, ownerScoped: false });
    const routes = controllers.flatMap((controller) => routesOf(controller as new () => unknown));
    expect(routes.slice(0, 2)).toEqual(['POST /tasks/render-report', 'POST /tasks/send']);
    expect(routes.slice(2)).toContain('GET /tasks/:id');
  });
});

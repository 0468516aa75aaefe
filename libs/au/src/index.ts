export { AuModule } from './au.module';
export type {
  AuModuleOptions,
  AuModuleExtras,
  AuBackendKind,
  AuRole,
  AuRedisOptions,
  AuHttpOptions,
  AuMetricsOptions,
  AuDashboardOptions,
} from './core/au.options';
export { AU_CLS_REQUEST_ID, AU_CLS_TASK, REQUEST_ID_HEADER } from './core/au.constants';
export { AsyncTask } from './tasks/async-task.decorator';
export type { AsyncTaskOptions, TaskBackoff, TaskOutput } from './tasks/async-task.options';
export type { TaskContext } from './tasks/task-context';
export { TaskService, type SubmitOptions } from './tasks/task.service';
export { TaskHandle, TaskFailedError, TaskResultTimeoutError } from './tasks/task.handle';
export { TaskHooks, type TaskLifecycleHooks, type TaskRunEvent } from './tasks/task-hooks';
export { TaskNotFoundException, UnknownTaskException } from './tasks/task.exceptions';
export type { TaskRecord, TaskStatus, TaskError, TaskQuery, TaskPage } from './core/task-record';
export { TaskTimeoutError, TaskCancelledError } from './core/task-errors';
export { AuConfigError } from './core/au-config.error';
export { setupAu, type SetupAuOptions } from './au.setup';
export { AuLogger } from './tracking/au.logger';
export { AuMetrics, type TaskStats } from './metrics/metrics.service';
export { AuHealthIndicator } from './health/au.health-indicator';
export type { QueueCount, BackendReadiness } from './tasks/task.backend';
export type { TaskScope, SubmitAnswer } from './tasks/task.service';
export { IdempotencyKeyReusedException, InvalidIdempotencyKeyException } from './tasks/idempotency.exceptions';
export type { TaskSchedule, CronSchedule, EverySchedule } from './tasks/task-schedule';
export { TaskSchedules, type ScheduleInfo } from './tasks/task-schedules';
export { TaskNotRetryableException } from './tasks/task-not-retryable.exception';
export { InvalidSubmitOptionError } from './core/invalid-submit-option.error';
export { TaskEventStream } from './tasks/task-event.stream';
export type { TaskEvent, TaskStatusEventData } from './tasks/task-events';

import { ApiProperty, getSchemaPath } from '@nestjs/swagger';

/** One task's totals in this process (`AuMetrics`' per-task counts). */
export class TaskTotalsView {
  @ApiProperty({ type: 'integer', example: 12 }) submitted: number;
  @ApiProperty({ type: 'integer', example: 10 }) completed: number;
  @ApiProperty({ type: 'integer', example: 1 }) failed: number;
  @ApiProperty({ type: 'integer', example: 1 }) cancelled: number;
  @ApiProperty({ type: 'integer', example: 2, description: 'Attempts that failed and were retried' }) retries: number;
  @ApiProperty({ type: 'integer', example: 0 }) running: number;
  @ApiProperty({ type: Number, nullable: true, example: 3.25, description: 'Mean run time of an attempt; null before the first' })
  averageDurationMs: number | null;
}

/** `GET /tasks/stats`. Register TaskTotalsView with `ApiExtraModels` where this is used. */
export class TaskStatsView {
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(TaskTotalsView) },
    description: 'Totals of this process, by task name',
  })
  tasks: Record<string, TaskTotalsView>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } },
    example: { factorial: { waiting: 0, active: 1 } },
    description: 'Jobs by queue state (Bull: waiting, active, completed, failed, delayed, paused), by task name; ' +
      'empty while Redis is away',
  })
  queues: Record<string, Record<string, number>>;
}

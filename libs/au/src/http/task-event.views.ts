import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TaskErrorView } from './task.views';

/** `data` of a `status` event. */
export class TaskStatusEventView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['pending', 'running', 'retrying'] }) status: 'pending' | 'running' | 'retrying';
  @ApiPropertyOptional({ description: 'The attempt that runs, or that failed and is to be retried' }) attempt?: number;
  @ApiPropertyOptional({ type: TaskErrorView, description: 'retrying: the error of the failed attempt' }) error?: TaskErrorView;
  @ApiPropertyOptional({ description: 'retrying: milliseconds until the next attempt' }) delayMs?: number;
}

/** `data` of a `progress` event. */
export class TaskProgressEventView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'What the task reported with ctx.progress() (0-100, or any JSON value)' }) progress: unknown;
}

/** `data` of the final event, `completed`, `failed` or `cancelled`, after which the stream ends. */
export class TaskFinalEventView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['completed', 'failed', 'cancelled'] }) status: 'completed' | 'failed' | 'cancelled';
  @ApiPropertyOptional({ nullable: true, description: 'completed: the result' }) result?: unknown;
  @ApiPropertyOptional({ type: TaskErrorView, description: 'failed: the error' }) error?: TaskErrorView;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { TASK_STATUSES, TaskStatus } from '../core/task-record';

/** The longest `?wait=`, in seconds. */
export const WAIT_MAX_SECONDS = 30;

/** `?wait=` on submit and result: seconds to hold the request open for the task to finish. */
export class WaitQueryDto {
  @ApiPropertyOptional({
    description: `Seconds to wait for the task to finish (0..${WAIT_MAX_SECONDS})`,
    minimum: 0,
    maximum: WAIT_MAX_SECONDS,
  })
  @IsOptional()
  @Type(() => Number)
  @Min(0)
  @Max(WAIT_MAX_SECONDS)
  wait?: number;
}

/** The longest `?delay=`, in seconds: 30 days. */
export const DELAY_MAX_SECONDS = 30 * 24 * 3600;
/** The largest (last) `?priority=`. */
export const PRIORITY_MAX = 1000;

/** The query of `POST /tasks/{name}`: `wait`, and when and before which others the task may start. */
export class SubmitQueryDto extends WaitQueryDto {
  @ApiPropertyOptional({
    description: `Seconds (decimal) before the task may start, 0..${DELAY_MAX_SECONDS}; it is pending with runAt until then`,
    minimum: 0,
    maximum: DELAY_MAX_SECONDS,
  })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(DELAY_MAX_SECONDS)
  delay?: number;

  @ApiPropertyOptional({
    description: `1..${PRIORITY_MAX}; among pending tasks of this name, lower numbers start first (ties: submission order)`,
    minimum: 1,
    maximum: PRIORITY_MAX,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PRIORITY_MAX)
  priority?: number;
}

/** Filters of `GET /tasks`. */
export class ListTasksQueryDto {
  @ApiPropertyOptional({ description: 'Task name' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  task?: string;

  @ApiPropertyOptional({ enum: TASK_STATUSES })
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: TaskStatus;

  @ApiPropertyOptional({ description: 'Every task of this request, children included' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{1,128}$/)
  requestId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

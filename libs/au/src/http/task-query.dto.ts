import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
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

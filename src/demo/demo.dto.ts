import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';

export class FactorialDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 5000, example: 20 })
  @IsInt()
  @Min(0)
  @Max(5000)
  n: number;
}

export class SleepDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 600_000, example: 1000, description: 'Milliseconds' })
  @IsInt()
  @Min(0)
  @Max(600_000)
  ms: number;
}

/** What sleep returns. */
export class SleepResultDto {
  @ApiProperty({ type: 'integer', example: 1003, description: 'Milliseconds actually slept' })
  slept: number;
}

export class FlakyDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 10, example: 2, description: 'Attempts that throw before one succeeds' })
  @IsInt()
  @Min(0)
  @Max(10)
  failTimes: number;
}

export class FailDto {
  @ApiProperty({ example: 'boom' })
  @IsString()
  @MaxLength(1000)
  message: string;
}

export class EmptyDto {}

export class FanoutDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, example: 3, description: 'Number of factorial {n: 10} children to submit' })
  @IsInt()
  @Min(1)
  @Max(100)
  n: number;
}

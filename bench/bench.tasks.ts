import { Injectable } from '@nestjs/common';
import { AsyncTask } from '../libs/au/src';
import { WORKER_CONCURRENCY } from './config';

export class NoInput {}

/** The benchmarks' only task: returns null at once, so what is measured is au's own path. */
@Injectable()
export class BenchTasks {
  @AsyncTask({ input: NoInput, concurrency: WORKER_CONCURRENCY })
  noop(): null {
    return null;
  }
}

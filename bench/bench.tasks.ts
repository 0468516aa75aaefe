import { Injectable } from '@nestjs/common';
import { AsyncTask } from '../libs/au/src';

/** Worker concurrency of the in-process benchmarks, au and bare alike. */
export const WORKER_CONCURRENCY = 50;

export class NoInput {}

/** The benchmarks' only task: returns null at once, so what is measured is au's own path. */
@Injectable()
export class BenchTasks {
  @AsyncTask({ input: NoInput, concurrency: WORKER_CONCURRENCY })
  noop(): null {
    return null;
  }
}

import type { Abstract, Provider, Type } from '@nestjs/common';
import { ScheduleClock } from './schedule-clock';
import { TaskBackend } from './task.backend';
import { TaskEventSource } from './task-events';
import { TaskStore } from './task.store';

/** The classes a backend module provides for what au asks of every backend. */
export interface BackendParts {
  store: Type<TaskStore>;
  backend: Type<TaskBackend>;
  clock: Type<ScheduleClock>;
  events: Type<TaskEventSource>;
}

/**
 * A backend module's providers and exports for `TaskStore`, `TaskBackend`, `ScheduleClock` and `TaskEventSource`:
 * each class once, under its own name (for the backend's other parts) and under au's abstract token.
 */
export function backendProviders(parts: BackendParts): { providers: Provider[]; exports: Abstract<unknown>[] } {
  const tokens: [Abstract<unknown>, Type<unknown>][] = [
    [TaskStore, parts.store],
    [TaskBackend, parts.backend],
    [ScheduleClock, parts.clock],
    [TaskEventSource, parts.events],
  ];
  return {
    providers: tokens.flatMap(([token, cls]) => [cls, { provide: token, useExisting: cls }]),
    exports: tokens.map(([token]) => token),
  };
}

import type { DynamicModule } from '@nestjs/common';
import { AuConfigError } from '../core/au-config.error';
import { missingPackages } from '../core/missing-packages';
import type { AuBackendKind, AuRole } from '../core/au.options';
import type { TaskDefinition } from '../tasks/task-definition';
import { MemoryBackendModule } from './memory/memory-backend.module';

/** What the Bull backend needs installed beside au (optional peers of the package). */
const BULL_PACKAGES = ['bull', '@nestjs/bull', 'ioredis'];

/**
 * The module of the chosen backend, providing `TaskStore` and `TaskBackend`. The Bull backend is required only when
 * chosen, so an app on the memory backend loads none of bull, @nestjs/bull or ioredis; choosing Bull without them
 * installed fails at startup naming what to install.
 */
export function loadBackendModule(backend: AuBackendKind, definitions: TaskDefinition[], role: AuRole): DynamicModule {
  if (backend === 'memory') return MemoryBackendModule.register();
  const missing = missingPackages(BULL_PACKAGES);
  if (missing.length > 0) throw AuConfigError.missingPackages('bull', missing);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, see above
  const { BullBackendModule } = require('./bull/bull-backend.module') as typeof import('./bull/bull-backend.module');
  return BullBackendModule.register(definitions, role);
}

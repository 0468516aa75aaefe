import type { DynamicModule } from '@nestjs/common';
import { AuConfigError } from '../core/au-config.error';
import { missingPackages } from '../core/missing-packages';
import type { AuBackendKind, AuHttpOptions } from '../core/au.options';
import type { TaskDefinition } from '../tasks/task-definition';

const DASHBOARD_PACKAGES = ['@bull-board/api', '@bull-board/express'];

/**
 * The dashboard module (bull-board), required only when the dashboard is on: it shows Bull's queues, so it needs the
 * Bull backend, and bull-board installed; either missing fails startup saying what to change.
 */
export function loadDashboardModule(
  path: string,
  backend: AuBackendKind,
  definitions: TaskDefinition[],
  tasks: DynamicModule,
  http?: AuHttpOptions,
): DynamicModule {
  if (backend !== 'bull') throw AuConfigError.dashboardNeedsBull(backend);
  const missing = missingPackages(DASHBOARD_PACKAGES);
  if (missing.length > 0) throw AuConfigError.missingPackages('dashboard of the bull', missing);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, see above
  const { DashboardModule } = require('./dashboard.module') as typeof import('./dashboard.module');
  return DashboardModule.register(path, definitions, tasks, http);
}

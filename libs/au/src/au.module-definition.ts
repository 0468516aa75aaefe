import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { AuModuleExtras, AuModuleOptions } from './au.options';

/** Raw options as the app passed them (before env and defaults). Internal. */
export const AU_MODULE_OPTIONS = 'AU:MODULE_OPTIONS';

export const {
  ConfigurableModuleClass: AuConfigurableModule,
  OPTIONS_TYPE: AU_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: AU_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AuModuleOptions>({ moduleName: 'Au', optionsInjectionToken: AU_MODULE_OPTIONS })
  .setClassMethodName('forRoot')
  .setExtras<AuModuleExtras>({ tasks: [], isGlobal: true })
  .build();

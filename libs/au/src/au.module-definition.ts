import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { AuModuleExtras, AuModuleOptions } from './core/au.options';
import { AU_MODULE_OPTIONS } from './core/au.tokens';

export const {
  ConfigurableModuleClass: AuConfigurableModule,
  OPTIONS_TYPE: AU_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: AU_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AuModuleOptions>({ moduleName: 'Au', optionsInjectionToken: AU_MODULE_OPTIONS })
  .setClassMethodName('forRoot')
  .setExtras<AuModuleExtras>({ tasks: [], isGlobal: true })
  .build();

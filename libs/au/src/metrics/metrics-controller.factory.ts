import { Controller, Get, Header, Type } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AuMetrics } from './metrics.service';

/** `GET {path}` in Prometheus text format; the path is configurable, so the controller is built at definition. */
export function createMetricsController(path: string): Type<unknown> {
  @ApiTags('metrics')
  @Controller()
  class MetricsController {
    constructor(private readonly metrics: AuMetrics) {}

    @Get(path)
    @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
    @Header('Cache-Control', 'no-store')
    @ApiOperation({ operationId: 'metrics', summary: 'Prometheus metrics of this process' })
    @ApiProduces('text/plain')
    @ApiOkResponse({ schema: { type: 'string' } })
    scrape(): Promise<string> {
      return this.metrics.metrics();
    }
  }
  return MetricsController;
}

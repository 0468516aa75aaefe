import { Controller, Get, Header, StreamableFile, Type } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AuMetrics } from './metrics.service';

/** `GET {path}` in Prometheus text format; the path is configurable, so the controller is built at definition. */
export function createMetricsController(path: string): Type<unknown> {
  @ApiTags('metrics')
  @Controller()
  class MetricsController {
    constructor(private readonly metrics: AuMetrics) {}

    @Get(path)
    @Header('Cache-Control', 'no-store')
    @ApiOperation({ operationId: 'metrics', summary: 'Prometheus metrics of this process' })
    @ApiProduces('text/plain')
    @ApiOkResponse({ schema: { type: 'string' } })
    async scrape(): Promise<StreamableFile> {
      // A StreamableFile keeps the registry's Content-Type as is (Express would reorder a string reply's parameters).
      const body = Buffer.from(await this.metrics.metrics());
      return new StreamableFile(body, { type: this.metrics.contentType, length: body.length });
    }
  }
  return MetricsController;
}

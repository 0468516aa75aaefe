import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ConflictException,
  HttpException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { AuError } from '../core/au.errors';

const AS_HTTP: Record<AuError['status'], new (message: string) => HttpException> = {
  400: BadRequestException,
  404: NotFoundException,
  409: ConflictException,
  503: ServiceUnavailableException,
};

/**
 * au's domain errors, thrown by stores, backends and the task service, as JSON answers of the status each names
 * (`{ statusCode, message, error }`). On every au controller; other errors go on to Nest's handling.
 */
@Catch(AuError)
export class AuErrorsFilter extends BaseExceptionFilter {
  override catch(exception: AuError, host: ArgumentsHost): void {
    super.catch(new AS_HTTP[exception.status](exception.message), host);
  }
}

import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import { parse } from 'node:querystring';

interface ExpressBodyParserApp {
  useBodyParser?(type: string, options: Record<string, unknown>): unknown;
}

/**
 * The body parsers with au's limit (`maxBodyBytes`), on Express or Fastify.
 * - Express: the JSON parser with the limit; the other parsers stay as Nest sets them up.
 * - Fastify: Fastify's own JSON parser (with the instance's prototype-poisoning settings) and a form parser, both
 *   with the limit. A parser set here tells Nest that parsers are already set up, so it adds none of its own: the
 *   form parser keeps `application/x-www-form-urlencoded` bodies working as in a plain Nest Fastify app.
 * Nest's `rawBody` option keeps working on both (`app.useBodyParser` passes it on).
 */
export function useBodyParsers(app: INestApplication, limit: number): void {
  if (app.getHttpAdapter().getType() !== 'fastify') {
    (app as unknown as ExpressBodyParserApp).useBodyParser?.('json', { limit });
    return;
  }
  const fastifyApp = app as NestFastifyApplication;
  const fastify = fastifyApp.getHttpAdapter().getInstance();
  const { onProtoPoisoning = 'error', onConstructorPoisoning = 'error' } = fastify.initialConfig;
  const parseJson = fastify.getDefaultJsonParser(onProtoPoisoning, onConstructorPoisoning);
  fastifyApp.useBodyParser<Server>('application/json', { bodyLimit: limit }, (req, body, done) => parseJson(req, body.toString(), done));
  fastifyApp.useBodyParser('application/x-www-form-urlencoded', { bodyLimit: limit }, (_req, body, done) => done(null, parse(body.toString())));
}

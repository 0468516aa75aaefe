import { getSchemaPath } from '@nestjs/swagger';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { TaskOutput } from '../tasks/async-task.options';

/** JSON null and nothing else (OpenAPI 3.0 has no `type: 'null'`: a nullable type whose one allowed value is null). */
export const NULL_SCHEMA: SchemaObject = { type: 'object', nullable: true, enum: [null] };

/**
 * Any JSON value, null included, as the alternatives a generated client can type. Not an untyped schema with
 * `nullable`: OpenAPI 3.0 ignores `nullable` without a `type` (and linters reject it).
 */
export const ANY_JSON: Array<SchemaObject | ReferenceObject> = [
  { type: 'string' },
  { type: 'number' },
  { type: 'boolean' },
  { type: 'array', items: {} },
  { type: 'object', additionalProperties: true, nullable: true },
];

const PRIMITIVE_TYPES = new Map<unknown, SchemaObject['type']>([
  [String, 'string'],
  [Number, 'number'],
  [Boolean, 'boolean'],
]);

function schemaOf(type: Function): SchemaObject | ReferenceObject {
  const primitive = PRIMITIVE_TYPES.get(type);
  return primitive ? { type: primitive } : { $ref: getSchemaPath(type) };
}

/**
 * The schema of a task's `result` as its `?wait=` answer holds it: the declared output, or null when the task did not
 * complete; any JSON value when the task declares none. `models` are the classes it refers to, for `ApiExtraModels`.
 */
export function resultSchemaOf(output: TaskOutput | undefined): { schema: SchemaObject; models: Function[] } {
  if (output === undefined) return { schema: { anyOf: ANY_JSON }, models: [] };
  if (output === null) return { schema: NULL_SCHEMA, models: [] };
  const [type, list] = Array.isArray(output) ? [output[0], true] : [output, false];
  const models = PRIMITIVE_TYPES.has(type) ? [] : [type];
  const one = schemaOf(type);
  if (list) return { schema: { type: 'array', items: one, nullable: true }, models };
  if ('$ref' in one) return { schema: { anyOf: [one, NULL_SCHEMA] }, models };
  return { schema: { ...one, nullable: true }, models };
}

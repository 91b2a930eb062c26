import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

/**
 * Two validators: query strings, path parameters and headers are text, so "10" may become 10 and
 * "true" true; JSON bodies carry real types, so a number where a string belongs is a 400, not
 * silently converted. Every error is reported at once; unknown body fields are dropped.
 */
function makeAjv(coerceTypes: Options['coerceTypes']): Ajv {
  const ajv = new Ajv({ allErrors: true, coerceTypes, removeAdditional: true, useDefaults: true, strict: false });
  addFormats.default(ajv);
  return ajv;
}

export function registerValidation(app: FastifyInstance): void {
  const text = makeAjv('array');
  const json = makeAjv(false);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? json : text).compile(schema));
}

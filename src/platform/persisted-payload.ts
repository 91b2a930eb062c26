import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';

export type PayloadCheck<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * A checker for JSON read back from a row (a build request, upgrade options, a rollout policy).
 * Such payloads outlive the code that wrote them: another version, or a hand edit, may have left
 * a shape this code does not know, so a worker checks it before use and fails that one row with a
 * clear message instead of crashing on it. The message names the first few offending paths.
 */
export function persistedPayload<S extends TSchema>(
  what: string,
  schema: S,
): (value: unknown) => PayloadCheck<Static<S>> {
  const checker = TypeCompiler.Compile(schema);
  return (value) => {
    if (checker.Check(value)) return { ok: true, value };
    const problems = [...checker.Errors(value)].slice(0, 3).map((error) => `${error.path || '/'}: ${error.message}`);
    return { ok: false, message: `The stored ${what} is not one this version can read (${problems.join('; ')}).` };
  };
}

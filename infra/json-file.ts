import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';

/**
 * A JSON file an operator names (secrets, keys), parsed with its schema. Errors name the
 * setting, the file and every wrong field, never a value from it.
 */
export function readJsonFile<S extends z.ZodType>(setting: string, file: string, schema: S): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${setting}: cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `"${i.path.join('.')}" ${i.message}`).join('; ');
    throw new Error(`${setting}: ${file}: ${issues}`);
  }
  return parsed.data;
}

/** A development secret or key, made once: readable by its owner only. */
export function writePrivateFile(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text, { mode: 0o600 });
}

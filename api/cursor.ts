import { createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { Problem } from './problem.js';

/**
 * Listing cursors: where the next page starts (the last row's sort key), signed, so that a
 * cursor this api never issued is a 400 at once instead of a query on values nobody checked.
 */
export function cursorCodec(secret: string) {
  const mac = (token: Buffer) => createHmac('sha256', `lotse-cursor:${secret}`).update(token).digest().subarray(0, 16);
  return {
    encode(token: Uint8Array): string {
      const bytes = Buffer.from(token);
      return `${bytes.toString('base64url')}.${mac(bytes).toString('base64url')}`;
    },
    decode(cursor: string): Buffer {
      const [data, sig] = cursor.split('.');
      const token = Buffer.from(data ?? '', 'base64url');
      const given = Buffer.from(sig ?? '', 'base64url');
      const expected = mac(token);
      if (token.length === 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw Problem.invalid('The cursor is not valid.', [
          { path: 'cursor', message: 'not a cursor of this listing' },
        ]);
      }
      return token;
    },
    encodeJson(key: unknown): string {
      return this.encode(Buffer.from(JSON.stringify(key)));
    },
    decodeJson<T>(cursor: string, schema: z.ZodType<T>): T {
      const parsed = schema.safeParse(JSON.parse(this.decode(cursor).toString('utf8')));
      if (!parsed.success) {
        throw Problem.invalid('The cursor is not valid.', [
          { path: 'cursor', message: 'not a cursor of this listing' },
        ]);
      }
      return parsed.data;
    },
  };
}
export type CursorCodec = ReturnType<typeof cursorCodec>;

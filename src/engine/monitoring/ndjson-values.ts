/** Byte-level tests of NDJSON values for `ndjson-schema.ts`: what DuckDB might read a string as. */

export const STRING = 8;
export const UUID = 32;

/** Thrown when DuckDB might type a value otherwise than the pass would: DuckDB then detects. */
export class Unsure extends Error {}
export const unsure = new Unsure();

export const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
export const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * The kind of the string b[start, end): UUID when canonical (8-4-4-4-12 hex digits), STRING when
 * DuckDB surely reads it as text; throws `unsure` when it might read it as something else.
 */
export function stringKind(b: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len === 0) return STRING;
  const c = b[start] as number;
  if (isDigit(c)) {
    if (len === 36 && canonicalUuid(b, start)) return UUID;
    if (len >= 8 && hexRun(b, start) >= 8) throw unsure;
    // digits, a separator and a digit: a date, a time or a timestamp perhaps
    let k = start + 1;
    while (k < end && isDigit(b[k] as number)) k++;
    const sep = b[k];
    if (
      k + 1 < end &&
      (sep === 45 || sep === 58 || sep === 47 || sep === 46 || sep === 32) &&
      isDigit(b[k + 1] as number)
    )
      throw unsure;
    return STRING;
  }
  if (c <= 32 || c === 43 || c === 45 || c === 123) throw unsure; // white space, a sign, a brace
  if (isHex(c) && len >= 8 && hexRun(b, start) >= 8) {
    if (len === 36 && canonicalUuid(b, start)) return UUID;
    throw unsure;
  }
  // infinity, epoch (DuckDB's special dates), in any case, perhaps with white space after
  const lower = c | 32;
  if (
    (lower === 105 && wordAt(b, start, end, 'infinity')) ||
    (lower === 101 && wordAt(b, start, end, 'epoch'))
  )
    throw unsure;
  return STRING;
}

/** Whether b[start, end) is `word` in any case, then only white space. */
function wordAt(b: Uint8Array, start: number, end: number, word: string): boolean {
  if (end - start < word.length) return false;
  for (let k = 0; k < word.length; k++)
    if (((b[start + k] as number) | 32) !== word.charCodeAt(k)) return false;
  for (let k = start + word.length; k < end; k++) if ((b[k] as number) > 32) return false;
  return true;
}

function hexRun(b: Uint8Array, start: number): number {
  let k = 0;
  while (k < 8 && isHex(b[start + k] as number)) k++;
  return k;
}

function canonicalUuid(b: Uint8Array, s: number): boolean {
  for (let k = 0; k < 36; k++) {
    const c = b[s + k] as number;
    if (k === 8 || k === 13 || k === 18 || k === 23) {
      if (c !== 45) return false;
    } else if (!isHex(c)) return false;
  }
  return true;
}

/**
 * An ISO 8601 timestamp DuckDB reads the same as TIMESTAMP and as text cast to TIMESTAMPTZ:
 * YYYY-MM-DD, `T` or a space, HH:MM:SS[.ffffff], then nothing, `Z` or ±HH[:MM].
 */
export function isoTimestamp(b: Uint8Array, s: number, e: number): boolean {
  const len = e - s;
  if (len < 16) return false;
  for (const k of ISO_DIGITS) if (!isDigit(b[s + k] as number)) return false;
  if (b[s + 4] !== 45 || b[s + 7] !== 45 || b[s + 13] !== 58) return false;
  if (b[s + 10] !== 84 && b[s + 10] !== 32) return false;
  // seconds are required: DuckDB does not cast HH:MM without them to TIMESTAMPTZ
  let k = s + 16;
  if (k + 2 >= e || b[k] !== 58 || !isDigit(b[k + 1] as number) || !isDigit(b[k + 2] as number)) return false;
  k += 3;
  if (k < e && b[k] === 46) {
    k++;
    const f = k;
    while (k < e && isDigit(b[k] as number)) k++;
    if (k === f || k - f > 6) return false;
  }
  if (k === e) return true;
  const c = b[k];
  if (c === 90) return k + 1 === e;
  if (c !== 43 && c !== 45) return false;
  if (k + 2 >= e || !isDigit(b[k + 1] as number) || !isDigit(b[k + 2] as number)) return false;
  k += 3;
  if (k === e) return true;
  if (b[k] === 58) k++;
  return k + 2 === e && isDigit(b[k] as number) && isDigit(b[k + 1] as number);
}

/** Offsets of the digits of YYYY-MM-DDTHH:MM. */
const ISO_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15];

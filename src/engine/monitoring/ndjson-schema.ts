/**
 * The column types DuckDB's `read_json` would detect for an NDJSON batch of the streaming API,
 * found by one pass over the bytes in JavaScript, so that `read_json` can be given them
 * (`columns = {…}`) and skip its own detection: detection parses every line once more (about
 * half the cost of loading a batch of 10,000 predictions).
 *
 * The pass only answers for the shapes it can type exactly as DuckDB does; for anything else it
 * returns null and the caller lets DuckDB detect (the same result and the same errors as before,
 * slower). It answers when every non-blank line is one flat JSON object whose keys are among the
 * expected ones (no escapes in keys, no key twice), with `nested` (the features) either null or a
 * flat object of scalars, and every column's values of one kind:
 *
 * - integers of at most 18 digits: BIGINT when all have the same sign (a leading `-`), HUGEINT when
 *   both signs occur (DuckDB's rule); with any fraction or exponent, DOUBLE;
 * - strings: VARCHAR; UUID when every value is a canonical UUID. A string DuckDB might read as a
 *   date, a time, a timestamp or a UUID (starting with a digit and holding `-`, `:`, `/`, `.` or a
 *   space; starting with eight hex digits; `infinity`, `epoch`; leading white space or an escape)
 *   sends the batch to DuckDB's detection, except in `timestampKey`, which is typed VARCHAR when
 *   every value is an ISO 8601 timestamp (DuckDB would read those as TIMESTAMP; the caller casts
 *   the text to TIMESTAMPTZ, which gives the same instant);
 * - booleans: BOOLEAN. Nulls count as any kind; a column of nulls only, or of two kinds, is DuckDB's.
 *
 * Unlike DuckDB's detection, which samples the first 20,480 lines, every line is read.
 */

import { isDigit, isoTimestamp, STRING, stringKind, UUID, unsure } from './ndjson-values.ts';

/** A column of the batch and the DuckDB type of its values. */
export interface NdjsonColumn {
  name: string;
  type: string;
}

/** What the pass found: top-level columns and the nested object's fields, in order of first appearance. */
export interface NdjsonSchema {
  lines: number;
  columns: NdjsonColumn[];
  nested: NdjsonColumn[] | null;
}

const INT_POS = 1;
const INT_NEG = 2;
const DOUBLE = 4;
const BOOL = 16;
const OBJECT = 64;

interface Col {
  name: string;
  bytes: Uint8Array;
  kinds: number;
  line: number;
  /** a string value that is not a canonical UUID was seen */
  notUuid: boolean;
}

const isWs = (c: number) => c === 32 || c === 9 || c === 13;

/**
 * Types the batch `bytes` (see the module note), or returns null when DuckDB must detect.
 * `keys`: the top-level keys allowed; `nested`: the one key whose value is a flat object;
 * `timestampKey`: the key holding the prediction's time.
 */
export function ndjsonSchema(
  bytes: Uint8Array,
  options: { keys: readonly string[]; nested?: string; timestampKey?: string },
): NdjsonSchema | null {
  try {
    return scan(bytes, options);
  } catch (err) {
    if (err === unsure) return null;
    throw err;
  }
}

interface ScanOptions {
  keys: readonly string[];
  nested?: string;
  timestampKey?: string;
}

function scan(bytes: Uint8Array, options: ScanOptions): NdjsonSchema {
  const s = new Scanner(bytes, options);
  s.lines();
  return s.schema();
}

/** One pass over the bytes (methods, not closures: the hot loop allocates nothing per value). */
class Scanner {
  private i = 0;
  private count = 0;
  private escaped = false;
  private readonly n: number;
  private readonly top: Col[] = [];
  private readonly nestedCols: Col[] = [];
  private readonly allowed: Set<string>;

  constructor(
    private readonly b: Uint8Array,
    private readonly options: ScanOptions,
  ) {
    this.n = b.length;
    this.allowed = new Set(options.keys);
  }

  lines(): void {
    const b = this.b;
    const n = this.n;
    while (this.i < n) {
      this.skipWs();
      if (this.i >= n) break;
      if (b[this.i] === 10) {
        this.i++;
        continue;
      }
      if (b[this.i] !== 123) throw unsure;
      this.object(this.top, true, this.count);
      this.count++;
      this.skipWs();
      if (this.i < n) {
        if (b[this.i] !== 10) throw unsure;
        this.i++;
      }
    }
  }

  private skipWs(): void {
    const b = this.b;
    let i = this.i;
    while (i < this.n && isWs(b[i] as number)) i++;
    this.i = i;
  }

  /** Skips the string at b[i] === '"' and returns the index after its closing quote; sets `escaped`. */
  private skipString(): number {
    const b = this.b;
    const n = this.n;
    let j = this.i + 1;
    this.escaped = false;
    for (;;) {
      if (j >= n) throw unsure;
      const c = b[j] as number;
      if (c === 34) return j + 1;
      if (c === 92) {
        this.escaped = true;
        j += 2;
        continue;
      }
      if (c < 32) throw unsure;
      j++;
    }
  }

  /** The column of the key at b[start, end) among `cols` (added when new). */
  private column(cols: Col[], start: number, end: number, hint: number, isTop: boolean): Col {
    const b = this.b;
    const len = end - start;
    // the usual case: the same key at the same place as on the line before
    const guess = cols[hint];
    if (guess && sameBytes(guess.bytes, b, start, len)) return guess;
    for (const c of cols) if (sameBytes(c.bytes, b, start, len)) return c;
    const name = Buffer.from(b.buffer, b.byteOffset + start, len).toString('utf8');
    if (isTop && !this.allowed.has(name)) throw unsure;
    const col: Col = { name, bytes: b.slice(start, end), kinds: 0, line: -1, notUuid: false };
    cols.push(col);
    return col;
  }

  /** Reads the object at b[i] === '{' (a line's, or its nested one's). */
  private object(cols: Col[], isTop: boolean, line: number): void {
    const b = this.b;
    this.i++;
    this.skipWs();
    if (b[this.i] === 125) {
      this.i++;
      return;
    }
    let pos = 0;
    // a nested object's keys are checked for repeats with a stamp of their own
    const stamp = isTop ? line : -2 - this.count;
    for (;;) {
      if (b[this.i] !== 34) throw unsure;
      const start = this.i + 1;
      this.i = this.skipString();
      if (this.escaped) throw unsure;
      const col = this.column(cols, start, this.i - 1, pos++, isTop);
      if (col.line === stamp) throw unsure; // a key twice in one object
      col.line = stamp;
      this.skipWs();
      if (b[this.i] !== 58) throw unsure;
      this.i++;
      this.skipWs();
      if (this.i >= this.n) throw unsure;
      if (isTop && col.name === this.options.nested) {
        if (b[this.i] === 123) {
          col.kinds |= OBJECT;
          this.object(this.nestedCols, false, line);
        } else this.value(col, false);
      } else this.value(col, isTop && col.name === this.options.timestampKey);
      this.skipWs();
      const c = b[this.i];
      if (c === 44) {
        this.i++;
        this.skipWs();
        continue;
      }
      if (c === 125) {
        this.i++;
        return;
      }
      throw unsure;
    }
  }

  /** Reads the scalar value at b[i] into `col`'s kinds. */
  private value(col: Col, timestamp: boolean): void {
    const b = this.b;
    const n = this.n;
    const c = b[this.i] as number;
    if (c === 34) {
      const start = this.i + 1;
      this.i = this.skipString();
      const end = this.i - 1;
      if (this.escaped) throw unsure;
      if (timestamp) {
        if (!isoTimestamp(b, start, end)) throw unsure;
        col.kinds |= STRING;
        return;
      }
      if (stringKind(b, start, end) === UUID) col.kinds |= STRING | UUID;
      else {
        col.kinds |= STRING;
        col.notUuid = true;
      }
      return;
    }
    if (c === 45 || isDigit(c)) {
      const neg = c === 45;
      let j = neg ? this.i + 1 : this.i;
      const d0 = j;
      if (j >= n || !isDigit(b[j] as number)) throw unsure;
      if (b[j] === 48) j++;
      else while (j < n && isDigit(b[j] as number)) j++;
      const intDigits = j - d0;
      let frac = false;
      if (b[j] === 46) {
        frac = true;
        j++;
        if (!isDigit(b[j] as number)) throw unsure;
        while (j < n && isDigit(b[j] as number)) j++;
      }
      if (b[j] === 101 || b[j] === 69) {
        frac = true;
        j++;
        if (b[j] === 43 || b[j] === 45) j++;
        if (!isDigit(b[j] as number)) throw unsure;
        while (j < n && isDigit(b[j] as number)) j++;
      }
      if (!frac && intDigits > 18) throw unsure;
      col.kinds |= frac ? DOUBLE : neg ? INT_NEG : INT_POS;
      this.i = j;
      return;
    }
    if (c === 116 && lit(b, this.i, 'true')) {
      col.kinds |= BOOL;
      this.i += 4;
      return;
    }
    if (c === 102 && lit(b, this.i, 'false')) {
      col.kinds |= BOOL;
      this.i += 5;
      return;
    }
    if (c === 110 && lit(b, this.i, 'null')) {
      this.i += 4;
      return;
    }
    throw unsure;
  }

  schema(): NdjsonSchema {
    const options = this.options;
    const typeOf = (c: Col, isNested: boolean): string => {
      const k = c.kinds;
      if (!isNested && c.name === options.nested) {
        if (k !== OBJECT) throw unsure;
        return 'OBJECT';
      }
      if ((k & ~(STRING | UUID)) === 0 && k & STRING) return k & UUID && !c.notUuid ? 'UUID' : 'VARCHAR';
      if (k === BOOL) return 'BOOLEAN';
      if (k & DOUBLE && (k & ~(DOUBLE | INT_POS | INT_NEG)) === 0) return 'DOUBLE';
      if (k === INT_POS || k === INT_NEG) return 'BIGINT';
      if (k === (INT_POS | INT_NEG)) return 'HUGEINT';
      throw unsure; // nulls only, or values of two kinds
    };
    const nested = this.nestedCols.map((c) => ({ name: c.name, type: typeOf(c, true) }));
    const columns = this.top.map((c) => {
      const type = typeOf(c, false);
      return {
        name: c.name,
        type:
          type === 'OBJECT' ? `STRUCT(${nested.map((f) => `${quote(f.name)} ${f.type}`).join(', ')})` : type,
      };
    });
    const hasNested = options.nested !== undefined && this.top.some((c) => c.name === options.nested);
    if (hasNested && nested.length === 0) throw unsure; // every features object empty or null
    return { lines: this.count, columns, nested: hasNested ? nested : null };
  }
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

function sameBytes(a: Uint8Array, b: Uint8Array, start: number, len: number): boolean {
  if (a.length !== len) return false;
  for (let k = 0; k < len; k++) if (a[k] !== b[start + k]) return false;
  return true;
}

function lit(b: Uint8Array, i: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) return false;
  return true;
}

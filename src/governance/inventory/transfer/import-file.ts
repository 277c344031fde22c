import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { ImportProblem, TransferFormat, TransferKind } from '../../../contracts/transfer.ts';
import type { Caller } from '../../../platform/auth/caller.ts';
import { canonicalJson } from '../../../platform/canonical-json.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Database } from '../../../platform/db/schema.ts';
import { PayloadTooLargeError, UnprocessableError } from '../../../platform/errors.ts';
import { parseCsv } from './csv-codec.ts';
import { checkHeader, recordFromCells } from './transfer-columns.ts';

/** The most rows one import may carry (the whole file is validated and written in one transaction). */
export const MAX_IMPORT_ROWS = 50_000;

/** One data row of an import file: its 1-based number, its CSV line, and the values read. */
export interface FileRow {
  row: number;
  line?: number;
  record: Record<string, unknown>;
}

/** Collects the problems of a whole file, so that one answer names every bad row and field. */
export class ProblemList {
  readonly items: ImportProblem[] = [];

  add(at: { row: number; line?: number | undefined }, field: string, message: string): void {
    this.items.push({ row: at.row, ...(at.line === undefined ? {} : { line: at.line }), field, message });
  }

  /** Throws the 422 naming every problem (the first 1,000), when there is any. */
  throwIfAny(kind: TransferKind): void {
    if (this.items.length === 0) return;
    const rows = new Set(this.items.map((p) => p.row)).size;
    const first = this.items[0]!;
    throw new UnprocessableError(
      `import of ${kind} refused, nothing was written: ${this.items.length} problem(s) in ${rows} row(s); first: row ${first.row}, ${first.field}: ${first.message}`,
      { problems: this.items.slice(0, 1000), problemCount: this.items.length },
    );
  }
}

/**
 * Reads the rows of an import body. CSV arrives as text; JSON as an array of objects or
 * `{ kind, items: [...] }` (what the export writes), already parsed or as text.
 */
export function readImportFile(kind: TransferKind, format: TransferFormat, body: unknown): FileRow[] {
  const problems = new ProblemList();
  let rows: FileRow[];
  if (format === 'csv') {
    if (typeof body !== 'string')
      throw new UnprocessableError('a CSV import needs a text/csv body', { field: 'body' });
    // A file that is not CSV at all is a 400 naming its line (the codec says which).
    const parsed = parseCsv(body);
    for (const p of checkHeader(kind, parsed.header)) problems.add({ row: 0, line: 1 }, p.field, p.message);
    problems.throwIfAny(kind);
    guardSize(parsed.records.length);
    rows = parsed.records.map((rec, i) => {
      const at = { row: i + 1, line: rec.line };
      const { record, problems: cellProblems } = recordFromCells(kind, parsed.header, rec.cells);
      for (const p of cellProblems) problems.add(at, p.field, p.message);
      return { ...at, record };
    });
  } else {
    let doc = body;
    if (typeof doc === 'string') {
      try {
        doc = JSON.parse(doc) as unknown;
      } catch {
        throw new UnprocessableError('the JSON file is not valid JSON', { field: 'body' });
      }
    }
    const items = Array.isArray(doc) ? doc : (doc as { items?: unknown } | null)?.items;
    const docKind = Array.isArray(doc) ? undefined : (doc as { kind?: unknown } | null)?.kind;
    if (!Array.isArray(items))
      throw new UnprocessableError('a JSON import is an array of rows or { "items": [...] }', {
        field: 'body',
      });
    if (docKind !== undefined && docKind !== kind)
      throw new UnprocessableError(`the file holds '${String(docKind)}' but kind=${kind} was asked`, {
        field: 'kind',
      });
    guardSize(items.length);
    rows = items.map((item, i) => {
      const at = { row: i + 1 };
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        problems.add(at, 'row', 'must be an object');
        return { ...at, record: {} };
      }
      return { ...at, record: item as Record<string, unknown> };
    });
  }
  problems.throwIfAny(kind);
  return rows;
}

function guardSize(n: number): void {
  if (n > MAX_IMPORT_ROWS)
    throw new PayloadTooLargeError(`an import takes at most ${MAX_IMPORT_ROWS} rows, this file has ${n}`, {
      rows: n,
      limit: MAX_IMPORT_ROWS,
    });
}

/** Validates every row against `schema`, recording each issue with its field path. */
export function validateRows<S extends z.ZodType>(
  rows: readonly FileRow[],
  schema: S,
  problems: ProblemList,
): { at: FileRow; value: z.infer<S> }[] {
  const valid: { at: FileRow; value: z.infer<S> }[] = [];
  for (const at of rows) {
    const parsed = schema.safeParse(at.record);
    if (parsed.success) {
      valid.push({ at, value: parsed.data });
      continue;
    }
    for (const issue of parsed.error.issues) {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const base = issue.path.map(String).join('.');
      if (keys.length) for (const k of keys) problems.add(at, base ? `${base}.${k}` : k, 'unknown field');
      else problems.add(at, base || 'row', issue.message);
    }
  }
  return valid;
}

/** Splits a list into chunks (for `IN (...)` lists within every engine's parameter limit). */
export function chunks<T>(list: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** One import in progress: the write transaction, who imports, and the problems found so far. */
export interface ImportRun {
  tx: Kysely<Database>;
  clock: Clock;
  caller: Caller;
  problems: ProblemList;
}

/** What an import did, per row. */
export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** Whether two API views are the same apart from bookkeeping (row version, update time). */
export function sameView(a: object, b: object): boolean {
  const strip = (v: object) => {
    const { rowVersion: _r, updatedAt: _u, ...rest } = v as Record<string, unknown>;
    return canonicalJson(rest);
  };
  return strip(a) === strip(b);
}

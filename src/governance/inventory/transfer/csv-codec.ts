import { ValidationError } from '../../../platform/errors.ts';

/** A parsed CSV: the header and each record with the line it started on. */
export interface CsvTable {
  header: string[];
  records: { line: number; cells: string[] }[];
}

/**
 * Parses RFC 4180 CSV: quoted fields with doubled quotes, separators and newlines inside quotes,
 * CRLF or LF line ends, a UTF-8 BOM. Throws a ValidationError naming the line of a malformed record.
 */
export function parseCsv(text: string): CsvTable {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let rowLine = 1;
  let i = 0;
  let quoted = false;
  let atStart = true;
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        const next = src[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          throw new ValidationError(`CSV line ${line}: unexpected character after a closing quote`, 'body', {
            line,
          });
        }
        continue;
      }
      if (ch === '\n') line++;
      cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && atStart) {
      quoted = true;
      atStart = false;
      i++;
      continue;
    }
    if (ch === ',') {
      cells.push(cell);
      cell = '';
      atStart = true;
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      cells.push(cell);
      if (!(cells.length === 1 && cells[0] === '')) rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      atStart = true;
      i += ch === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      rowLine = line;
      continue;
    }
    if (ch === '"')
      throw new ValidationError(`CSV line ${line}: a quote inside an unquoted field`, 'body', { line });
    cell += ch;
    atStart = false;
    i++;
  }
  if (quoted)
    throw new ValidationError(`CSV line ${rowLine}: a quoted field is never closed`, 'body', {
      line: rowLine,
    });
  cells.push(cell);
  if (!(cells.length === 1 && cells[0] === '')) rows.push({ line: rowLine, cells });
  const [head, ...records] = rows;
  if (!head) throw new ValidationError('the CSV file is empty', 'body');
  const header = head.cells.map((h) => h.trim());
  for (const r of records) {
    if (r.cells.length !== header.length) {
      throw new ValidationError(
        `CSV line ${r.line}: ${r.cells.length} fields where the header has ${header.length}`,
        'body',
        {
          line: r.line,
        },
      );
    }
  }
  return { header, records };
}

/** Cells that spreadsheets would run as formulas start with one of these. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Quotes one CSV cell; a formula-like cell gets a leading apostrophe so spreadsheets show it as text. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value) ? value.join(';') : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Writes rows as CSV with a header, CRLF line ends (RFC 4180). */
export function writeCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.map(csvCell).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

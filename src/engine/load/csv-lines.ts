import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

/** A CSV record pandas refuses, with the 1-based line of the file where it is (or starts). */
export interface CsvProblem {
  line: number;
  message: string;
}

/**
 * Reads a CSV file as pandas' C tokenizer does with its defaults (quote `"`, a doubled quote
 * inside a quoted field is a literal quote, a quote opens a quoted field only at the start of a
 * field, blank lines skipped) and returns the first record it refuses: one with more fields than
 * the header ("Expected 3 fields in line 4, saw 4"), or a quoted field still open at the end of
 * the file ("EOF inside string starting at row 2": pandas counts that row from 0, the line here
 * is the file's line, from 1). Null when pandas would read the file. Only run on error paths and
 * when a loaded text value starts with a quote (the reader took the quote as text).
 */
export async function findCsvProblem(file: string, delimiter: string): Promise<CsvProblem | null> {
  const raw = createReadStream(file);
  const stream = /\.gz$/i.test(file) ? raw.pipe(createGunzip()) : raw;
  const QUOTE = 34;
  const LF = 10;
  const CR = 13;
  const delim = delimiter.charCodeAt(0);
  let line = 1;
  let recordLine = 1;
  let fields = 1;
  let expected = -1;
  let atFieldStart = true;
  let inQuote = false;
  let quoteSeen = false; // inside a quoted field: the previous byte was a quote
  let empty = true; // the record has no byte yet (a blank line)
  const endRecord = (): CsvProblem | null => {
    if (!empty) {
      if (expected < 0) expected = fields;
      else if (fields > expected) {
        return {
          line: recordLine,
          message: `line ${recordLine} has ${fields} fields, the header has ${expected} (pandas: Expected ${expected} fields in line ${recordLine}, saw ${fields})`,
        };
      }
    }
    fields = 1;
    atFieldStart = true;
    empty = true;
    return null;
  };
  try {
    for await (const chunk of stream) {
      const bytes = chunk as Buffer;
      for (let i = 0; i < bytes.length; i++) {
        const b = bytes[i] as number;
        if (inQuote) {
          if (quoteSeen) {
            quoteSeen = false;
            if (b === QUOTE) continue; // "" is a literal quote
            inQuote = false; // the quote closed the field; this byte is read outside it
          } else {
            if (b === QUOTE) quoteSeen = true;
            if (b === LF) line++;
            continue;
          }
        }
        if (b === LF || b === CR) {
          if (b === CR && bytes[i + 1] === LF) i++;
          const problem = endRecord();
          if (problem) return problem;
          line++;
          recordLine = line;
          continue;
        }
        if (empty) {
          empty = false;
          recordLine = line;
        }
        if (b === delim) {
          fields++;
          atFieldStart = true;
        } else if (b === QUOTE && atFieldStart) {
          inQuote = true;
          atFieldStart = false;
        } else {
          atFieldStart = false;
        }
      }
    }
  } finally {
    raw.destroy();
  }
  if (inQuote && !quoteSeen) {
    return {
      line: recordLine,
      message: `line ${recordLine} opens a quoted field that is never closed (pandas: EOF inside string starting at row ${recordLine - 1})`,
    };
  }
  return endRecord();
}

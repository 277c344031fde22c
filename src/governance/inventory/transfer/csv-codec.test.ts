import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, parseCsv, writeCsv } from './csv-codec.ts';

describe('CSV codec', () => {
  it('parses quotes, embedded separators and newlines, CRLF and a BOM', () => {
    const t = parseCsv('\ufeffa,b\r\n"x, ""y""","line1\nline2"\r\nplain,\n');
    expect(t.header).toEqual(['a', 'b']);
    expect(t.records).toEqual([
      { line: 2, cells: ['x, "y"', 'line1\nline2'] },
      { line: 4, cells: ['plain', ''] },
    ]);
  });

  it('names the line of malformed records', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow(/line 3: 1 fields where the header has 2/);
    expect(() => parseCsv('a\n"open\n')).toThrow(/line 2: a quoted field is never closed/);
    expect(() => parseCsv('a\nx"y\n')).toThrow(/line 2: a quote inside an unquoted field/);
    expect(() => parseCsv('')).toThrow(/empty/);
  });

  it('escapes formula-like cells', () => {
    for (const bad of ['=1+1', '+SUM(A1)', '-2', '@cmd', '\tx'])
      expect(csvCell(bad).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvCell('plain')).toBe('plain');
  });

  it('round-trips any text that does not look like a formula', () => {
    const safe = fc.string().filter((s) => !/^[=+\-@\t\r]/.test(s));
    fc.assert(
      fc.property(fc.array(fc.tuple(safe, safe), { minLength: 1, maxLength: 5 }), (rows) => {
        const text = writeCsv(
          ['a', 'b'],
          rows.map(([a, b]) => ({ a, b })),
        );
        const parsed = parseCsv(text);
        expect(parsed.records.map((r) => r.cells)).toEqual(rows.map(([a, b]) => [a, b]));
      }),
    );
  });
});

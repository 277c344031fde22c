import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv, writeCsv } from './csv-codec.ts';
import { COLUMNS, cellsFromRecord, checkHeader, recordFromCells } from './transfer-columns.ts';

/** Writes one model record as an export would and reads it back as an import would. */
function roundTrip(record: Record<string, unknown>): Record<string, unknown> {
  const header = COLUMNS.models.map(([name]) => name);
  const cells = cellsFromRecord('models', record);
  const text = writeCsv(header, [Object.fromEntries(header.map((h, i) => [h, cells[i]]))]);
  const parsed = parseCsv(text);
  const { record: back, problems } = recordFromCells('models', parsed.header, parsed.records[0]!.cells);
  expect(problems).toEqual([]);
  return back;
}

// Text as people type it, with the characters that matter here over-represented.
const text = fc
  .array(fc.oneof(fc.constantFrom("'", '=', '+', '-', '@', '\t', ',', '"', '\n', ';', ' '), fc.string()), {
    maxLength: 6,
  })
  .map((parts) => parts.join(''))
  .filter((s) => s !== '');
const item = text.filter((s) => !s.includes(';') && s.trim() === s);

describe('transfer columns', () => {
  it('export then import gives back any text, formula-like or apostrophe-led included', () => {
    fc.assert(
      fc.property(text, text, fc.array(item, { maxLength: 4 }), (description, name, tags) => {
        const back = roundTrip({ key: 'k1', name, description, tags, vendor: true, tier: 2 });
        expect(back).toMatchObject({ key: 'k1', name, description, tags, vendor: true, tier: 2 });
      }),
    );
  });

  it('escapes every formula-like cell in the written file', () => {
    fc.assert(
      fc.property(text, (name) => {
        const header = COLUMNS.models.map(([n]) => n);
        const cells = cellsFromRecord('models', { key: 'k', name });
        const file = writeCsv(header, [Object.fromEntries(header.map((h, i) => [h, cells[i]]))]);
        for (const cell of parseCsv(file).records[0]!.cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      }),
    );
  });

  it('reads blanks as absent or null by column, and names cells of the wrong type', () => {
    const header = ['key', 'name', 'description', 'tags', 'vendor', 'tier', 'links.repository'];
    const { record, problems } = recordFromCells('models', header, ['', 'N', '', '', 'maybe', 'two', '']);
    expect(record).toEqual({ name: 'N', description: null, tags: [], links: { repository: null } });
    expect(problems.map((p) => p.field)).toEqual(['vendor', 'tier']);
    expect(checkHeader('models', ['key', 'colour', 'key']).map((p) => p.field)).toEqual(['colour', 'key']);
  });
});

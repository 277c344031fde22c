import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/support/fixture-tables.ts';
import { findCsvProblem } from './csv-lines.ts';

/** pandas.read_csv on each file (scripts/reference/make_edge_fixtures.py): the refused line, or null. */
const expected = JSON.parse(
  readFileSync(path.join(REPO_ROOT, 'test/fixtures/reference/edge/expected.json'), 'utf8'),
) as {
  tokenizer: Record<string, { file: string; line: number | null }>;
  malformed: Record<string, { file: string; line: number }>;
};

describe('findCsvProblem reads a CSV as pandas does', () => {
  for (const [name, c] of Object.entries({ ...expected.tokenizer, ...expected.malformed })) {
    it(`${name}: ${c.line === null ? 'read' : `refused at line ${c.line}`}`, async () => {
      const problem = await findCsvProblem(path.resolve(REPO_ROOT, c.file), ',');
      expect(problem?.line ?? null).toBe(c.line);
      if (problem) expect(problem.message).toMatch(new RegExp(`^line ${c.line} `));
    });
  }
});

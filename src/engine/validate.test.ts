import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validationEvidenceSchema } from '../contracts/validation-evidence.ts';
import { ASSAY_VERSION } from '../version.ts';
import { REPO_ROOT } from './drift/fixture-tables.ts';
import { validate } from './validate.ts';

const ADULT = path.resolve(REPO_ROOT, '../shared/data/adult');

describe('validate', () => {
  it('writes a schema-valid evidence document for the adult files', async () => {
    const now = new Date('2026-01-02T03:04:05.000Z');
    const evidence = await validate({
      data: path.join(ADULT, 'adult_scored_production.csv'),
      reference: path.join(ADULT, 'adult_scored_reference.csv'),
      label: 'label',
      score: 'score',
      groups: ['sex', 'race'],
      features: ['age', 'education', 'hr_per_week', 'sex'],
      now,
    });
    expect(validationEvidenceSchema.parse(evidence)).toEqual(evidence);
    expect(evidence.created_at).toBe(now.toISOString());
    expect(evidence.engine.version).toBe(ASSAY_VERSION);
    expect(evidence.inputs.map((i) => [i.role, i.rows])).toEqual([
      ['data', 6033],
      ['reference', 6032],
    ]);
    expect(evidence.performance?.count).toBe(6033);
    expect(Object.keys(evidence.fairness ?? {})).toEqual(['sex', 'race']);
    expect(Object.keys(evidence.drift?.features ?? {})).toEqual(['age', 'education', 'hr_per_week', 'sex']);
    expect(evidence.drift?.prediction?.column).toBe('score');
    expect(evidence.data_quality?.rows).toBe(6033);
  });

  it('refuses an unknown column, listing the available ones', async () => {
    await expect(
      validate({
        data: path.join(ADULT, 'adult_scored_reference.csv'),
        label: 'label',
        score: 'scor',
        now: new Date(0),
      }),
    ).rejects.toThrow(/unknown column 'scor'; available: age, type_employer/);
  });
});

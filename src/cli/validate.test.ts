import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validationEvidenceSchema } from '../contracts/validation-evidence.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ADULT = path.resolve(ROOT, 'data/adult');
const tmp = mkdtempSync(path.join(tmpdir(), 'assay-validate-cli-'));

function assay(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/assay.mjs'), 'validate', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('assay validate (spawned)', () => {
  it('--json prints only the evidence; performance matches the scikit-learn fixture', () => {
    const r = assay(
      '--data',
      path.join(ADULT, 'adult_scored_reference.csv'),
      '--reference',
      path.join(ADULT, 'adult_scored_production.csv'),
      '--label',
      'label',
      '--score',
      'score',
      '--group',
      'sex',
      '--group',
      'race',
      '--features',
      'age,education,hr_per_week',
      '--json',
    );
    expect(r.stderr).toMatch(/assay validate: \[[0-9.]+s\] performance/);
    expect(r.code, r.stderr).toBe(0);
    const evidence = validationEvidenceSchema.parse(JSON.parse(r.stdout));
    const expected = JSON.parse(
      readFileSync(path.join(ROOT, 'test/fixtures/reference/performance/expected.json'), 'utf8'),
    ) as { cases: { name: string; expected: Record<string, number> }[] };
    const adult = expected.cases.find((c) => c.name === 'adult')?.expected;
    expect(evidence.performance?.roc_auc).toBeCloseTo(adult?.roc_auc ?? Number.NaN, 12);
    expect(evidence.performance?.log_loss).toBeCloseTo(adult?.log_loss ?? Number.NaN, 12);
    expect(Object.keys(evidence.fairness ?? {})).toEqual(['sex', 'race']);
    expect(Object.keys(evidence.drift?.features ?? {})).toEqual(['age', 'education', 'hr_per_week']);
    expect(evidence.inputs.map((i) => i.role)).toEqual(['data', 'reference']);
  });

  it('--out writes evidence.json and a self-contained report.html', () => {
    const out = path.join(tmp, 'out');
    const r = assay(
      '--data',
      path.join(ADULT, 'adult_scored_production.csv'),
      '--label',
      'label',
      '--score',
      'score',
      '--out',
      out,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/performance: roc_auc/);
    const evidence = validationEvidenceSchema.parse(
      JSON.parse(readFileSync(path.join(out, 'evidence.json'), 'utf8')),
    );
    expect(evidence.schema).toBe('assay.validation/v1');
    expect(existsSync(path.join(out, 'report.html'))).toBe(true);
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toMatch(/<html/);
  });

  it('exits 2 with a clear message on bad input', () => {
    const data = path.join(ADULT, 'adult_scored_production.csv');
    const unknown = assay('--data', data, '--label', 'label', '--score', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown column 'nope'; available: age, /);
    const empty = path.join(tmp, 'empty.csv');
    writeFileSync(empty, '');
    expect(assay('--data', empty).stderr).toMatch(/empty/);
    expect(assay('--data', empty).code).toBe(2);
    const range = path.join(tmp, 'range.csv');
    writeFileSync(range, 'y,s\n1,0.3\n0,1.2\n');
    const r = assay('--data', range, '--label', 'y', '--score', 's');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/data row 2/);
    const bad = path.join(tmp, 'bad.csv');
    const rows = Array.from({ length: 30000 }, (_, i) => `${i % 2},0.5`).join('\n');
    writeFileSync(bad, `y,s\n${rows}\n1,0.5,9\n`);
    const m = assay('--data', bad, '--label', 'y', '--score', 's');
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/Line: 30002/);
    expect(assay('--data', data, '--threshold', 'x').code).toBe(2);
  });

  it('--prediction gives multiclass and regression evidence; a score on a multiclass label is exit 2', () => {
    const tasks = path.join(ROOT, 'test/fixtures/reference/tasks');
    const expected = JSON.parse(readFileSync(path.join(tasks, 'expected.json'), 'utf8')) as {
      cases: { name: string; expected: Record<string, number> }[];
    };
    const of = (name: string) => expected.cases.find((c) => c.name === name)?.expected ?? {};
    // the fixture predicts a class (4) the label never has: inferred, that is no multiclass task
    const inferred = assay(
      '--data',
      path.join(tasks, 'multiclass.csv'),
      '--label',
      'label',
      '--prediction',
      'prediction',
    );
    expect(inferred.code).toBe(2);
    expect(inferred.stderr).toMatch(/not among them \(4\).*--task regression/);
    expect(assay('--data', path.join(tasks, 'multiclass.csv'), '--task', 'ordinal').stderr).toMatch(
      /--task must be one of binary, multiclass, regression/,
    );
    const mc = assay(
      '--data',
      path.join(tasks, 'multiclass.csv'),
      '--label',
      'label',
      '--prediction',
      'prediction',
      '--task',
      'multiclass',
      '--json',
    );
    expect(mc.code, mc.stderr).toBe(0);
    const mcDoc = validationEvidenceSchema.parse(JSON.parse(mc.stdout));
    expect(mcDoc.performance?.task).toBe('multiclass');
    expect(mcDoc.performance?.balanced_accuracy).toBeCloseTo(
      of('multiclass').balanced_accuracy ?? Number.NaN,
      12,
    );
    expect(mcDoc.config.features).not.toContain('prediction');
    const rg = assay(
      '--data',
      path.join(tasks, 'regression.csv'),
      '--label',
      'label',
      '--prediction',
      'prediction',
    );
    expect(rg.code, rg.stderr).toBe(0);
    expect(rg.stdout).toMatch(/performance \(regression\): mean_absolute_error 3\.83/);
    const scoreOnMulticlass = assay(
      '--data',
      path.join(tasks, 'multiclass.csv'),
      '--label',
      'label',
      '--score',
      'prediction',
    );
    expect(scoreOnMulticlass.code).toBe(2);
    expect(scoreOnMulticlass.stderr).toMatch(/more than two classes: multiclass metrics need --prediction/);
    const both = assay(
      '--data',
      path.join(tasks, 'multiclass.csv'),
      '--label',
      'label',
      '--score',
      'a',
      '--prediction',
      'b',
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--score or --prediction, not both/);
    const groupsOnRegression = assay(
      '--data',
      path.join(tasks, 'regression.csv'),
      '--label',
      'label',
      '--prediction',
      'prediction',
      '--group',
      'weight',
    );
    expect(groupsOnRegression.code).toBe(2);
    expect(groupsOnRegression.stderr).toMatch(/needs a binary label; 'label' is continuous/);
  });

  it('--model must be KEY@VERSION; --push needs --model; no server answering is exit 4', () => {
    const data = path.join(ADULT, 'adult_scored_production.csv');
    const malformed = assay('--data', data, '--model', 'no-version', '--push');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/--model must be KEY@VERSION/);
    const noModel = assay('--data', data, '--push');
    expect(noModel.code).toBe(2);
    expect(noModel.stderr).toMatch(/--push needs --model/);
    const unreachable = assay(
      '--data',
      data,
      '--model',
      'credit-risk@1.0.0',
      '--push',
      '--url',
      'http://127.0.0.1:9',
      '--token',
      'assay_x',
    );
    expect(unreachable.code).toBe(4);
    expect(unreachable.stderr).toMatch(/cannot reach the Assay server/);
  });
});

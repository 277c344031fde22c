// `assay validate --scorer`: the model scores the data, validation follows, and a score column
// given too is checked against the model (reproducibility).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateWithModel } from './validate-with-model.ts';

const DIR = new URL('../../../test/fixtures/models/', import.meta.url).pathname;
const expected = JSON.parse(readFileSync(`${DIR}expected.json`, 'utf8'));
const now = new Date('2026-12-01T00:00:00Z');

describe('validate with a model', () => {
  it("validates the model's scores: ROC AUC is scikit-learn's on predict_proba; inputs name the original file", async () => {
    const evidence = await validateWithModel({
      data: `${DIR}adult-sample.csv`,
      label: 'label',
      scorer: { model: `${DIR}adult-lr.onnx` },
      now,
    });
    const p = evidence.performance;
    expect(p?.task).toBe('binary');
    expect(p?.roc_auc).toBeCloseTo(expected.lr.permutation_importance.baseline_roc_auc, 4);
    expect(p?.accuracy).toBe(expected.lr.permutation_importance.baseline_accuracy);
    expect(evidence.inputs[0]?.path).toMatch(/adult-sample\.csv$/);
    expect(evidence.inputs[0]?.sha256).toBe(
      createHash('sha256')
        .update(readFileSync(`${DIR}adult-sample.csv`))
        .digest('hex'),
    );
    expect(evidence.config.score).toBe('model_score');
    expect(evidence.model).toMatchObject({ kind: 'onnx', evaluations: 400, reproducibility: null });
    expect(evidence.model?.artifact_sha256).toBe(
      createHash('sha256')
        .update(readFileSync(`${DIR}adult-lr.onnx`))
        .digest('hex'),
    );
  });

  it('with --score too: the largest difference to that column, and the line where it is', async () => {
    const dir = mkdtempSync('/tmp/assay-vwm-');
    const lines = readFileSync(`${DIR}adult-sample.csv`, 'utf8').trim().split('\n');
    const scored = lines.map((l, i) =>
      i === 0 ? `${l},score` : `${l},${expected.forest.predict_proba[i - 1]}`,
    );
    writeFileSync(`${dir}/same.csv`, `${scored.join('\n')}\n`);
    const same = await validateWithModel({
      data: `${dir}/same.csv`,
      label: 'label',
      score: 'score',
      scorer: { model: `${DIR}adult-forest.onnx` },
      now,
    });
    expect(same.model?.reproducibility?.max_abs_difference).toBeLessThan(2e-6);
    scored[10] = scored[10]?.replace(/,[^,]*$/, ',0.999') as string;
    writeFileSync(`${dir}/changed.csv`, `${scored.join('\n')}\n`);
    const changed = await validateWithModel({
      data: `${dir}/changed.csv`,
      label: 'label',
      score: 'score',
      scorer: { model: `${DIR}adult-forest.onnx` },
      now,
    });
    expect(changed.model?.reproducibility).toMatchObject({
      compared_column: 'score',
      rows: 400,
      worst_line: 11,
    });
    expect(changed.model?.reproducibility?.max_abs_difference).toBeCloseTo(
      0.999 - expected.forest.predict_proba[9],
      5,
    );
  });
});

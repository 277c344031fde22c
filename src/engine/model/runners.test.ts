// The one runner interface over its three back ends, against scikit-learn's predict_proba for
// the committed models: ONNX in process, an OIP v2 server (checked against the published OpenAPI)
// and a user command.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OipTestServer, startOipServer } from '../../../test/support/oip-server.ts';
import { CommandRunner } from './command-runner.ts';
import { readModelData } from './model-data.ts';
import { OipRunner } from './oip-runner.ts';
import { OnnxRunner } from './onnx-runner.ts';
import { openRunner } from './open-runner.ts';
import { BudgetExceededError } from './runner.ts';

const DIR = new URL('../../../test/fixtures/models/', import.meta.url).pathname;
const SCORE_COMMAND = new URL('../../../test/support/onnx-score-command.mjs', import.meta.url).pathname;
const expected = JSON.parse(readFileSync(`${DIR}expected.json`, 'utf8'));
const maxDiff = (a: Float64Array, b: number[]) =>
  Math.max(...Array.from(a, (v, i) => Math.abs(v - (b[i] as number))));

describe('model runners', () => {
  let onnx: OnnxRunner;
  let server: OipTestServer;
  beforeAll(async () => {
    onnx = await OnnxRunner.open(`${DIR}adult-forest.onnx`);
    server = await startOipServer(`${DIR}adult-forest.onnx`);
  });
  afterAll(async () => {
    await onnx.close();
    await server.close();
  });

  it('ONNX in process: scores, counts evaluations and hashes the artifact', async () => {
    const data = await readModelData(`${DIR}adult-sample.csv`, onnx.features);
    expect(maxDiff(await onnx.predict(data.matrix), expected.forest.predict_proba)).toBeLessThan(2e-6);
    const record = onnx.record();
    expect(record.kind).toBe('onnx');
    expect(record.evaluations).toBe(400);
    const { createHash } = await import('node:crypto');
    expect(record.artifact_sha256).toBe(
      createHash('sha256')
        .update(readFileSync(`${DIR}adult-forest.onnx`))
        .digest('hex'),
    );
  });

  it('OIP v2: the same scores through the test server, every message valid against the specification', async () => {
    const runner = await OipRunner.open(server.modelUrl, { features: onnx.features, batchSize: 150 });
    const data = await readModelData(`${DIR}adult-sample.csv`, onnx.features);
    expect(maxDiff(await runner.predict(data.matrix), expected.forest.predict_proba)).toBeLessThan(2e-6);
    expect(runner.evaluations).toBe(400);
    expect(server.requests).toBeGreaterThanOrEqual(4); // metadata + three batches of at most 150
    expect(server.violations).toEqual([]);
  });

  it('OIP v2: the server refuses a request the specification forbids, and the runner names the error', async () => {
    const response = await fetch(`${server.modelUrl}/infer`, {
      method: 'POST',
      body: JSON.stringify({ inputs: [{ name: 'input', datatype: 'FP32', data: [1] }] }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/shape/);
    server.violations.length = 0;
    await expect(
      OipRunner.open(`${server.url}/v2/models/other/versions/1`, { features: onnx.features }),
    ).rejects.toThrow(/404/);
    await expect(OipRunner.open(`${server.url}/v2/nothing`, { features: onnx.features })).rejects.toThrow(
      /ends in \/v2\/models/,
    );
  });

  it('OIP v2: inputs as the model declares them (one FP64 tensor; one input per feature, INT64/FP64/BYTES)', async () => {
    const data = await readModelData(`${DIR}adult-sample.csv`, onnx.features);
    const fp64 = await startOipServer(`${DIR}adult-forest.onnx`, 'adult', '1', { datatype: 'FP64' });
    const integers = new Set(['age', 'education_num', 'capital_gain', 'capital_loss', 'hr_per_week']);
    const columns = onnx.features.map((f) => ({
      name: f.name,
      datatype: f.categories
        ? ('BYTES' as const)
        : integers.has(f.name)
          ? ('INT64' as const)
          : ('FP64' as const),
      ...(f.categories ? { categories: f.categories } : {}),
    }));
    const perFeature = await startOipServer(`${DIR}adult-forest.onnx`, 'adult', '1', { columns });
    const wrongNames = await startOipServer(`${DIR}adult-forest.onnx`, 'adult', '1', {
      columns: columns.map((c, j) => (j === 0 ? { ...c, name: 'years' } : c)),
    });
    try {
      for (const server of [fp64, perFeature]) {
        const runner = await OipRunner.open(server.modelUrl, { features: onnx.features, batchSize: 300 });
        expect(maxDiff(await runner.predict(data.matrix), expected.forest.predict_proba)).toBeLessThan(2e-6);
        expect(server.violations).toEqual([]);
      }
      // the strict server refuses what it does not declare (so the runner above sent what it did)
      const asFp32 = await fetch(`${fp64.modelUrl}/infer`, {
        method: 'POST',
        body: JSON.stringify({
          inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 12], data: Array(12).fill(0) }],
        }),
      });
      expect(asFp32.status).toBe(400);
      // an INT64 input refuses a non-integer before sending it
      const runner = await OipRunner.open(perFeature.modelUrl, { features: onnx.features });
      const fractional = { ...data.matrix, data: data.matrix.data.slice() };
      fractional.data[0] = 36.5; // age
      await expect(runner.predict(fractional)).rejects.toThrow(
        /input age is INT64, and 36.5 is not an integer/,
      );
      await expect(OipRunner.open(wrongNames.modelUrl, { features: onnx.features })).rejects.toThrow(
        /no input for age.*not features: years/,
      );
    } finally {
      await Promise.all([fp64.close(), perFeature.close(), wrongNames.close()]);
    }
  });

  it('a command: rows as CSV on stdin (categories as text), one score a line', async () => {
    const runner = new CommandRunner(`node ${SCORE_COMMAND} ${DIR}adult-forest.onnx`, onnx.features, {
      batchSize: 250,
    });
    const data = await readModelData(`${DIR}adult-sample.csv`, onnx.features);
    expect(maxDiff(await runner.predict(data.matrix), expected.forest.predict_proba)).toBeLessThan(2e-6);
    expect(runner.record()).toMatchObject({ kind: 'command', evaluations: 400, artifact_sha256: null });
    const broken = new CommandRunner('echo 0.5', onnx.features);
    await expect(broken.predict(data.matrix)).rejects.toThrow(/wrote 1 scores for 400 rows/);
    const failing = new CommandRunner('echo boom >&2; exit 4', onnx.features);
    await expect(failing.predict(data.matrix)).rejects.toThrow(/exited with 4: boom/);
  });

  it('refuses work beyond the evaluation budget before running it', async () => {
    const runner = await openRunner({ model: `${DIR}adult-lr.onnx`, budget: 500 });
    const data = await readModelData(`${DIR}adult-sample.csv`, runner.features);
    await runner.predict(data.matrix);
    await expect(runner.predict(data.matrix)).rejects.toBeInstanceOf(BudgetExceededError);
    expect(runner.evaluations).toBe(400);
    await runner.close();
  });

  it('names bad input: unknown category with its line, missing file, model without features', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/assay-runner-');
    const lines = readFileSync(`${DIR}adult-sample.csv`, 'utf8').split('\n');
    lines[3] = (lines[3] as string).replace('Male', 'Robot').replace('Female', 'Robot');
    writeFileSync(`${dir}/bad.csv`, lines.join('\n'));
    await expect(readModelData(`${dir}/bad.csv`, onnx.features)).rejects.toThrow(
      /line 4: 'Robot' in column sex/,
    );
    await expect(OnnxRunner.open(`${dir}/none.onnx`)).rejects.toThrow(/no such model file/);
    await expect(openRunner({ command: 'cat' })).rejects.toThrow(/needs its features/);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { ValidationEvidence } from '../../contracts/validation-evidence.ts';
import { ident, literal } from '../duckdb/sql.ts';
import { InputError } from '../load/input-error.ts';
import { loadTable } from '../load/load-table.ts';
import { type ValidateOptions, validate } from '../validate.ts';
import { readModelData } from './model-data.ts';
import { openRunner, type RunnerOptions } from './open-runner.ts';
import type { ModelRunner } from './runner.ts';

/** The column the model's scores are validated as (suffixed with _ when the data has one). */
export const MODEL_SCORE_COLUMN = 'model_score';

/**
 * `assay validate --scorer`: scores the data (and the reference) with the model, then validates
 * those scores as a score column — everything validate computes follows. With `--score` too, the
 * model's scores are checked against that column (reproducibility: the largest difference). The
 * evidence names the original files and hashes, and records the model run.
 */
export async function validateWithModel(
  options: ValidateOptions & { scorer: RunnerOptions },
): Promise<ValidationEvidence> {
  if (options.prediction !== undefined)
    throw new InputError('--scorer scores the data; give --score (to compare) but not --prediction');
  const runner = await openRunner(options.scorer);
  const dir = await mkdtemp(path.join(tmpdir(), 'assay-model-'));
  try {
    options.progress?.({ stage: 'scoring with the model', fraction: 0 });
    const data = await scoreFile(runner, options.data, path.join(dir, 'data.parquet'), options.score);
    const reference =
      options.reference !== undefined
        ? await scoreFile(runner, options.reference, path.join(dir, 'reference.parquet'))
        : undefined;
    const { scorer: _, ...rest } = options;
    const evidence = await validate({
      ...rest,
      data: data.file,
      score: data.column,
      ...(reference ? { reference: reference.file } : {}),
    });
    const originals = [data, ...(reference ? [reference] : [])];
    evidence.inputs = evidence.inputs.map((input, i) => {
      const o = originals[i];
      return o ? { ...input, path: o.path, sha256: o.sha256 } : input;
    });
    evidence.model = {
      ...runner.record(),
      features: runner.features,
      score_column: data.column,
      reproducibility: data.reproducibility,
    };
    return evidence;
  } finally {
    await runner.close();
    await rm(dir, { recursive: true, force: true });
  }
}

interface ScoredFile {
  file: string;
  column: string;
  path: string;
  sha256: string;
  reproducibility: NonNullable<ValidationEvidence['model']>['reproducibility'];
}

async function scoreFile(
  runner: ModelRunner,
  file: string,
  out: string,
  compareWith?: string,
): Promise<ScoredFile> {
  const data = await readModelData(
    file,
    runner.features,
    compareWith !== undefined ? { score: compareWith } : {},
  );
  const scores = await runner.predict(data.matrix);
  let reproducibility: ScoredFile['reproducibility'] = null;
  if (data.score) {
    let max = 0;
    let at = 0;
    for (let i = 0; i < scores.length; i++) {
      const d = Math.abs((scores[i] as number) - (data.score[i] as number));
      if (d > max) {
        max = d;
        at = i;
      }
    }
    reproducibility = {
      compared_column: compareWith as string,
      rows: scores.length,
      max_abs_difference: max,
      worst_line: at + 2,
    };
  }
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const table = await loadTable(conn, file);
    let column = MODEL_SCORE_COLUMN;
    while (table.columns.some((c) => c.name === column)) column += '_';
    await conn.run('CREATE TABLE model_scores (i BIGINT, v DOUBLE)');
    const appender = await conn.createAppender('model_scores');
    for (let i = 0; i < scores.length; i++) {
      appender.appendBigInt(BigInt(i));
      appender.appendDouble(scores[i] as number);
      appender.endRow();
    }
    appender.closeSync();
    // rows keep the file's order (a default instance preserves insertion order): rowid i is row i
    await conn.run(
      `COPY (SELECT t.*, s.v AS ${ident(column)} FROM ${table.table} t JOIN model_scores s ON t.rowid = s.i ORDER BY s.i) TO ${literal(out)} (FORMAT parquet)`,
    );
    return { file: out, column, path: table.path, sha256: table.sha256, reproducibility };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

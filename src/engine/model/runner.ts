import { InputError } from '../load/input-error.ts';
import type { FeatureSpec, Matrix } from './features.ts';

/** How a runner reaches the model. */
export type RunnerKind = 'onnx' | 'oip' | 'command';

/** What the evidence records about the model that was run. */
export interface RunnerRecord {
  kind: RunnerKind;
  /** The ONNX file, the OIP model URL or the command. */
  source: string;
  /** SHA-256 of the artifact (the ONNX file) when Assay has it; null for a served model or command. */
  artifact_sha256: string | null;
  /** Model evaluations (rows scored) by this runner. */
  evaluations: number;
  /** Rows per call to the model. */
  batch_size: number;
  /** ONNX: which code scored it ('assay-tree-ensemble' or 'onnxruntime'). */
  evaluator?: 'assay-tree-ensemble' | 'onnxruntime';
  /** Threads of Assay's tree evaluator. */
  evaluator_threads?: number;
  /** Why ONNX Runtime scored a model (not Assay's tree evaluator). */
  evaluator_note?: string;
}

/**
 * Scores of rows r0..r1 of x with feature j set to each grid value, laid out [g × (r1 − r0) + r − r0]
 * (what brute-force partial dependence scores), computed by a runner that can do it faster.
 */
export type GridScores = (
  x: Matrix,
  j: number,
  grid: Float64Array,
  r0: number,
  r1: number,
) => Promise<Float64Array>;

/** Scores of x with column j replaced by each of `columns` (one array of scores per column). */
export type PermutedScores = (x: Matrix, j: number, columns: Float64Array[]) => Promise<Float64Array[]>;

/** Refused work: the run would need more model evaluations than its budget. */
export class BudgetExceededError extends InputError {}

/**
 * One model behind one interface: batch prediction of the positive-class score (or regression
 * value) for rows of features, in batches, counting every row scored against an evaluation budget.
 * Explainers and stress tests only see this.
 */
export abstract class ModelRunner {
  evaluations = 0;

  constructor(
    readonly kind: RunnerKind,
    readonly source: string,
    readonly features: FeatureSpec[],
    readonly artifactSha256: string | null,
    /** The most rows this runner may score in total (Infinity: no limit). */
    readonly budget = Number.POSITIVE_INFINITY,
    readonly batchSize = 65_536,
  ) {}

  /** Scores every row (one number a row), in batches of batchSize. */
  async predict(m: Matrix): Promise<Float64Array> {
    if (m.cols !== this.features.length) {
      throw new InputError(`the model takes ${this.features.length} features, got ${m.cols}`);
    }
    this.checkBudget(m.rows);
    const out = new Float64Array(m.rows);
    for (let start = 0; start < m.rows; start += this.batchSize) {
      const end = Math.min(m.rows, start + this.batchSize);
      const batch: Matrix = {
        rows: end - start,
        cols: m.cols,
        data: m.data.subarray(start * m.cols, end * m.cols),
      };
      const scores = await this.score(batch);
      if (scores.length !== batch.rows) {
        throw new InputError(
          `${this.source}: the model returned ${scores.length} scores for ${batch.rows} rows`,
        );
      }
      out.set(scores, start);
      this.evaluations += batch.rows;
    }
    return out;
  }

  /** Refuses `rows` more evaluations when they would exceed the budget. */
  protected checkBudget(rows: number): void {
    if (this.evaluations + rows > this.budget) {
      throw new BudgetExceededError(
        `the evaluation budget (${this.budget} model evaluations) would be exceeded: ${this.evaluations} used, ${rows} more needed; raise --budget or ask for less (fewer rows, repeats or background rows)`,
      );
    }
  }

  /** Scores one batch. */
  protected abstract score(batch: Matrix): Promise<Float64Array>;

  async close(): Promise<void> {}

  record(): RunnerRecord {
    return {
      kind: this.kind,
      source: this.source,
      artifact_sha256: this.artifactSha256,
      evaluations: this.evaluations,
      batch_size: this.batchSize,
    };
  }
}

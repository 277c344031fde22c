import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { InputError } from '../load/input-error.ts';
import type { FeatureSpec, Matrix } from './features.ts';
import { type OnnxGraphInfo, readOnnxGraph } from './onnx-graph.ts';
import { type GridScores, ModelRunner, type PermutedScores, type RunnerRecord } from './runner.ts';
import { compileEnsemble } from './tree-evaluator.ts';
import { TreeEvaluator } from './tree-pool.ts';

type Ort = typeof import('onnxruntime-node');
type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

/** Which code scores an ONNX model: Assay's tree-ensemble evaluator, or ONNX Runtime. */
export type OnnxEvaluator = 'assay-tree-ensemble' | 'onnxruntime';

/**
 * An ONNX model run in process (CPU). Input: one float tensor [rows, features]; output: the
 * `probabilities` tensor's last column (a classifier's positive class) or else the first output's
 * last column. A graph that is one TreeEnsembleClassifier/Regressor whose output Assay's
 * evaluator reproduces bit for bit (model/tree-evaluator.ts) is scored by that evaluator, on
 * worker threads for large batches; everything else by ONNX Runtime (one intra-op thread).
 */
export class OnnxRunner extends ModelRunner {
  private constructor(
    file: string,
    features: FeatureSpec[],
    sha256: string,
    readonly graph: OnnxGraphInfo,
    private readonly ort: Ort,
    private readonly session: Session,
    /** Assay's evaluator, when it scores this model (else null: ONNX Runtime does). */
    readonly trees: TreeEvaluator | null,
    /** Why ONNX Runtime scores the model (empty when Assay's evaluator does). */
    readonly evaluatorNote: string,
    budget?: number,
  ) {
    super('onnx', file, features, sha256, budget);
  }

  get evaluator(): OnnxEvaluator {
    return this.trees ? 'assay-tree-ensemble' : 'onnxruntime';
  }

  /** Loads `file`; features from its `assay.features` metadata unless given. */
  static async open(
    file: string,
    options: {
      features?: FeatureSpec[];
      budget?: number;
      /** ONNX Runtime's intra-op threads (default 1). */
      threads?: number;
      /** Threads of Assay's tree evaluator (default: the cores). */
      treeThreads?: number;
      /** 'onnxruntime' forces ONNX Runtime; 'auto' (default) picks Assay's evaluator for tree ensembles. */
      evaluator?: 'auto' | 'onnxruntime';
    } = {},
  ): Promise<OnnxRunner> {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      throw new InputError(`${file}: no such model file`);
    }
    const graph = readOnnxGraph(bytes, file);
    const features = options.features ?? graph.features;
    if (!features) {
      throw new InputError(
        `${file}: the model does not name its features (no assay.features metadata); give them with --features-spec or --features`,
      );
    }
    const ort = await import('onnxruntime-node');
    let session: Session;
    try {
      session = await ort.InferenceSession.create(bytes, {
        intraOpNumThreads: options.threads ?? 1,
        interOpNumThreads: 1,
      });
    } catch (err) {
      throw new InputError(`${file}: ONNX Runtime cannot load the model (${(err as Error).message})`);
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    let trees: TreeEvaluator | null = null;
    let note = graph.ensemble ? '' : graph.ensembleNote;
    if (options.evaluator === 'onnxruntime') note = 'ONNX Runtime was asked for';
    else if (graph.ensemble) {
      const compiled = compileEnsemble(graph.ensemble, features.length);
      if (typeof compiled === 'string') note = compiled;
      else trees = new TreeEvaluator(graph.ensemble, compiled, options.treeThreads);
    }
    return new OnnxRunner(file, features, sha256, graph, ort, session, trees, note, options.budget);
  }

  protected async score(batch: Matrix): Promise<Float64Array> {
    if (this.trees) return this.trees.score(batch);
    const input = new Float32Array(batch.data);
    const name = this.session.inputNames[0] as string;
    const tensor = new this.ort.Tensor('float32', input, [batch.rows, batch.cols]);
    const wanted = this.session.outputNames.includes('probabilities')
      ? 'probabilities'
      : (this.session.outputNames.find((n) => n !== 'label') ?? (this.session.outputNames[0] as string));
    const result = await this.session.run({ [name]: tensor }, [wanted]);
    const output = result[wanted];
    if (!output) throw new InputError(`${this.source}: no output ${wanted}`);
    const data = output.data as Float32Array | Float64Array;
    const width = batch.rows === 0 ? 1 : data.length / batch.rows;
    const out = new Float64Array(batch.rows);
    for (let i = 0; i < batch.rows; i++) out[i] = data[i * width + width - 1] as number;
    return out;
  }

  /**
   * Partial dependence scores from Assay's tree evaluator (see TreeEvaluator.gridScores): the
   * scores of rows r0..r1 at every grid value of feature j, counted as that many evaluations.
   * Null when ONNX Runtime scores the model (brute force then scores the rows).
   */
  get gridScores(): GridScores | null {
    const trees = this.trees;
    if (!trees) return null;
    return async (x, j, grid, r0, r1) => {
      this.checkBudget((r1 - r0) * grid.length);
      const out = await trees.gridScores(x, j, grid, r0, r1);
      this.evaluations += (r1 - r0) * grid.length;
      return out;
    };
  }

  /**
   * Permutation importance's scores from Assay's tree evaluator (TreeEvaluator.permutedScores),
   * counted as rows × columns evaluations; for a matrix it cannot serve, the rows are scored.
   * Null when ONNX Runtime scores the model.
   */
  get permutedScores(): PermutedScores | null {
    const trees = this.trees;
    if (!trees) return null;
    return async (x, j, columns) => {
      if (!trees.canPermute(x)) {
        const out: Float64Array[] = [];
        const copy: Matrix = { rows: x.rows, cols: x.cols, data: x.data.slice() };
        for (const col of columns) {
          for (let r = 0; r < x.rows; r++) copy.data[r * x.cols + j] = col[r] as number;
          out.push(await this.predict(copy));
        }
        return out;
      }
      this.checkBudget(x.rows * columns.length);
      const out = await trees.permutedScores(x, j, columns);
      this.evaluations += x.rows * columns.length;
      return out;
    };
  }

  override record(): RunnerRecord {
    return {
      ...super.record(),
      evaluator: this.evaluator,
      ...(this.trees ? { evaluator_threads: this.trees.threads } : { evaluator_note: this.evaluatorNote }),
    };
  }

  override async close(): Promise<void> {
    await this.trees?.close();
    await this.session.release();
  }
}

import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Matrix } from './features.ts';
import type { TreeEnsemble } from './onnx-graph.ts';
import {
  buildKernels,
  type CompiledEnsemble,
  type Kernels,
  kernelSource,
  quantizeValue,
  rowsWithNaN,
  scoreRowGeneric,
} from './tree-evaluator.ts';

/** Below this many rows a call runs on the calling thread alone (messages cost more). */
const PARALLEL_FROM = 8192;
/** Rows × trees whose paths permutation importance records at most (6 bytes each). */
const MAX_RECORDED_PATHS = 50_000_000;

// The worker builds the kernels from the same generated source as the calling thread, and runs
// the operation it is sent on its range of rows; every array it touches is shared memory.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { source, node, leaf, cutValues, cutStart } = workerData;
const kernels = new Function('node', 'leaf', 'cutValues', 'cutStart', source)(node, leaf, cutValues, cutStart);
parentPort.on('message', ({ id, op, args }) => {
  try {
    kernels[op](...args);
    parentPort.postMessage({ id });
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.stack) || err) });
  }
});`;

type Op = keyof Kernels;

/** A typed array over shared memory (so worker threads read and write it in place). */
function sharedArray<T>(make: new (b: SharedArrayBuffer) => T, bytesPer: number, n: number): T {
  return new make(new SharedArrayBuffer(Math.max(1, n) * bytesPer));
}

/**
 * Assay's tree-ensemble evaluator: the compiled ensemble's kernels on the calling thread and on
 * worker threads (one fewer than the cores, unless told), each scoring its share of the rows.
 * Scores equal ONNX Runtime's bit for bit (see tree-evaluator.ts).
 */
export class TreeEvaluator {
  readonly kernels: Kernels;
  readonly threads: number;
  private readonly source: string;
  private workers: Worker[] | null = null;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private x = new Float64Array(0);
  private q = new Int32Array(0);
  private out = new Float64Array(0);

  constructor(
    readonly ensemble: TreeEnsemble,
    readonly compiled: CompiledEnsemble,
    threads?: number,
  ) {
    this.source = kernelSource(compiled);
    this.kernels = buildKernels(compiled, this.source);
    this.threads = Math.max(1, threads ?? os.availableParallelism());
  }

  /** Scores rows (one float32 score each, as ONNX Runtime's output). */
  async score(m: Matrix): Promise<Float64Array> {
    const n = m.rows;
    const x = this.sharedInput(m);
    if (this.q.length < n * m.cols) this.q = sharedArray(Int32Array, 4, n * m.cols);
    if (this.out.length < n) this.out = sharedArray(Float64Array, 8, n);
    const q = this.q;
    const out = this.out;
    await this.parallel(n, (r0, r1) => [
      ['quantize', [x, q, r0, r1]],
      ['score', [q, r0, r1, out]],
    ]);
    const result = out.slice(0, n);
    for (const r of rowsWithNaN(x, m.cols, 0, n)) result[r] = scoreRowGeneric(this.ensemble, x, r * m.cols);
    return result;
  }

  /**
   * Partial dependence scores of rows r0..r1 of m with feature j set to each grid value, laid out
   * as brute force would score them: [g × (r1 − r0) + (r − r0)]. Equal to scoring those rows.
   */
  async gridScores(m: Matrix, j: number, grid: Float64Array, r0: number, r1: number): Promise<Float64Array> {
    const n = r1 - r0;
    const cols = m.cols;
    const chunk: Matrix = { rows: n, cols, data: m.data.subarray(r0 * cols, r1 * cols) };
    const x = this.sharedInput(chunk);
    if (this.q.length < n * cols) this.q = sharedArray(Int32Array, 4, n * cols);
    const size = n * grid.length;
    if (this.out.length < size) this.out = sharedArray(Float64Array, 8, size);
    const c = this.compiled;
    // grid values sorted as the kernels see them (q is monotone in the value)
    const order = Array.from(grid.keys()).sort((a, b) => (grid[a] as number) - (grid[b] as number));
    const qg = Int32Array.from(order, (g) => quantizeValue(c, j, grid[g] as number));
    const ni = (1 << c.depth) - 1;
    const cut = sharedArray(Int32Array, 4, c.trees * ni);
    for (let k = 0; k < cut.length; k++) {
      const p = c.node[k] as number;
      if (p >>> 24 !== j) continue;
      const rank = p & 0xffffff;
      let lo = 0;
      let hi = qg.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((qg[mid] as number) <= rank) lo = mid + 1;
        else hi = mid;
      }
      cut[k] = lo;
    }
    const q = this.q;
    const out = this.out;
    await this.parallel(n, (a, b) => [
      ['quantize', [x, q, a, b]],
      ['grid', [q, a, b, j, cut, grid.length, out, 0, n]],
    ]);
    // back to the caller's grid order (the kernel's g is a position in `order`)
    const result = new Float64Array(size);
    order.forEach((g, k) => {
      result.set(out.subarray(k * n, (k + 1) * n), g * n);
    });
    const row = new Float64Array(cols);
    for (let r = 0; r < n; r++) {
      let missing = false;
      for (let f = 0; f < cols; f++) if (f !== j && Number.isNaN(x[r * cols + f] as number)) missing = true;
      if (!missing) continue;
      row.set(x.subarray(r * cols, (r + 1) * cols));
      grid.forEach((v, g) => {
        row[j] = v;
        result[g * n + r] = scoreRowGeneric(this.ensemble, row, 0);
      });
    }
    return result;
  }

  /** The last matrix permutation importance recorded paths for (see permutedScores). */
  private recorded: {
    x: Matrix;
    q: Int32Array;
    leafIdx: Uint16Array;
    mask: Uint32Array;
    nan: Set<number>;
  } | null = null;

  /** Whether permutedScores can serve this matrix (feature bits fit 32; paths fit the memory cap). */
  canPermute(m: Matrix): boolean {
    return m.cols <= 32 && m.rows * this.compiled.trees <= MAX_RECORDED_PATHS;
  }

  /**
   * The scores of m with column j replaced by each of `columns` (permutation importance's
   * repeats), equal to scoring those matrices: trees whose path for a row does not read j keep the
   * leaf recorded for it (recorded once per matrix), the others are walked again.
   */
  async permutedScores(m: Matrix, j: number, columns: Float64Array[]): Promise<Float64Array[]> {
    const n = m.rows;
    const cols = m.cols;
    const c = this.compiled;
    if (this.recorded?.x !== m) {
      this.recorded = null;
      const x = this.sharedInput(m);
      const q = sharedArray(Int32Array, 4, n * cols);
      const leafIdx = sharedArray(Uint16Array, 2, n * c.trees);
      const mask = sharedArray(Uint32Array, 4, n * c.trees);
      await this.parallel(n, (a, b) => [
        ['quantize', [x, q, a, b]],
        ['record', [q, a, b, leafIdx, mask]],
      ]);
      this.recorded = { x: m, q, leafIdx, mask, nan: new Set(rowsWithNaN(m.data, cols, 0, n)) };
    }
    const { q, leafIdx, mask, nan } = this.recorded;
    const repeats = columns.length;
    const qcols = sharedArray(Int32Array, 4, repeats * n);
    columns.forEach((col, k) => {
      for (let r = 0; r < n; r++) qcols[k * n + r] = quantizeValue(c, j, col[r] as number);
    });
    const out = sharedArray(Float64Array, 8, repeats * n);
    await this.parallel(n, (a, b) => [['permuted', [q, a, b, j, qcols, repeats, leafIdx, mask, out, n]]]);
    const result = columns.map((_, k) => out.slice(k * n, (k + 1) * n));
    // rows with a missing value (before or after the permutation): the generic walker
    const row = new Float64Array(cols);
    columns.forEach((col, k) => {
      for (let r = 0; r < n; r++) {
        if (!nan.has(r) && !Number.isNaN(col[r] as number)) continue;
        row.set(m.data.subarray(r * cols, (r + 1) * cols));
        row[j] = col[r] as number;
        (result[k] as Float64Array)[r] = scoreRowGeneric(this.ensemble, row, 0);
      }
    });
    return result;
  }

  /** The matrix in shared memory (a reused buffer, grown as needed). */
  private sharedInput(m: Matrix): Float64Array {
    const size = m.rows * m.cols;
    if (this.x.length < size) this.x = sharedArray(Float64Array, 8, size);
    this.x.set(m.data.subarray(0, size));
    return this.x;
  }

  /**
   * Runs the operations `work(r0, r1)` names on every thread's share of rows 0..n (the calling
   * thread takes the first share while the workers do theirs).
   */
  async parallel(n: number, work: (r0: number, r1: number) => [Op, unknown[]][]): Promise<void> {
    const parts = n < PARALLEL_FROM ? 1 : this.threads;
    const bounds = Array.from({ length: parts + 1 }, (_, k) => Math.round((n * k) / parts));
    const workers = parts > 1 ? this.pool() : [];
    const waits: Promise<void>[] = [];
    for (let k = 1; k < parts; k++) {
      const worker = workers[k - 1] as Worker;
      const ops = work(bounds[k] as number, bounds[k + 1] as number);
      waits.push(
        (async () => {
          for (const [op, args] of ops) await this.send(worker, op, args);
        })(),
      );
    }
    for (const [op, args] of work(0, bounds[1] as number)) {
      (this.kernels[op] as (...a: unknown[]) => void)(...args);
    }
    await Promise.all(waits);
  }

  private send(worker: Worker, op: Op, args: unknown[]): Promise<void> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, args });
    });
  }

  private pool(): Worker[] {
    if (this.workers) return this.workers;
    const c = this.compiled;
    this.workers = Array.from({ length: this.threads - 1 }, () => {
      const w = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          source: this.source,
          node: c.node,
          leaf: c.leaf,
          cutValues: c.cutValues,
          cutStart: c.cutStart,
        },
      });
      w.unref();
      w.on('message', ({ id, error }: { id: number; error?: string }) => {
        const job = this.pending.get(id);
        this.pending.delete(id);
        if (error) job?.reject(new Error(`tree evaluator worker: ${error}`));
        else job?.resolve();
      });
      w.on('error', (err) => {
        for (const job of this.pending.values()) job.reject(err);
        this.pending.clear();
      });
      return w;
    });
    return this.workers;
  }

  async close(): Promise<void> {
    this.recorded = null;
    const workers = this.workers ?? [];
    this.workers = null;
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

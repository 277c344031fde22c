import { Worker } from 'node:worker_threads';
import { sortFloat64With } from '../drift/sorted-sample.ts';

/** Below this many values a column is sorted on the calling thread (a transfer costs more). */
const WORKER_MIN_VALUES = 65_536;

interface SortReply {
  id: number;
  /** Another thread claimed the sort first (see SortPool.help). */
  skipped?: boolean;
  error?: string;
}

// The worker runs the same function: its source is handed over as text, so the worker needs no
// module loader (it works the same from TypeScript sources and from a bundle). The values and
// labels live in shared memory: whichever thread claims a sort first (an atomic flag) sorts them in
// place, so nothing is copied or transferred.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const sortFloat64With = ${sortFloat64With.toString()};
// one working buffer reused by every sort (grown to the largest column), so that the worker's
// memory does not grow with the number of columns
let scratch = { keys: new Uint32Array(0), payload: new Uint8Array(0) };
parentPort.on('message', ({ id, values, payload, claim }) => {
  if (Atomics.compareExchange(claim, 0, 0, 1) !== 0) {
    parentPort.postMessage({ id, skipped: true });
    return;
  }
  try {
    const n = values.length;
    if (scratch.keys.length < 2 * n) scratch = { keys: new Uint32Array(2 * n), payload: new Uint8Array(n) };
    sortFloat64With(values, payload, true, scratch);
    parentPort.postMessage({ id });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.stack || err) });
  }
});`;

/** A sort handed to the pool: its arrays (shared memory), who claimed it, and its promise. */
interface SortJob {
  values: Float64Array;
  payload: Uint8Array | undefined;
  /** 0 while unclaimed; set to 1 by the thread that sorts it. */
  claim: Int32Array;
  resolve: (r: { values: Float64Array; payload: Uint8Array | undefined }) => void;
  reject: (e: Error) => void;
}

/** A Float64Array (or Uint8Array) of `n` zeros in memory that the worker shares. */
function shared<T extends Float64Array | Uint8Array>(
  make: (buffer: SharedArrayBuffer) => T,
  bytes: number,
): T {
  return make(new SharedArrayBuffer(bytes));
}

/**
 * Sorts numeric columns on a worker thread so that the main thread can keep DuckDB busy with the
 * next query meanwhile (the machine's other core does the sorting). One worker, started on the
 * first large sort (or `warm`), not keeping the process alive. When the main thread has nothing
 * else to do but wait for sorts, `help` makes it sort the queued ones too, from the other end.
 */
export class SortPool {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, SortJob>();

  /**
   * An array of `n` values for a column that will be sorted here: in shared memory when large
   * enough to go to the worker, so that it is sorted in place.
   */
  allocate(n: number): Float64Array {
    return n < WORKER_MIN_VALUES ? new Float64Array(n) : shared((b) => new Float64Array(b), n * 8);
  }

  /** Like allocate, for the payload (label classes) that moves with the values. */
  allocatePayload(n: number): Uint8Array {
    return n < WORKER_MIN_VALUES ? new Uint8Array(n) : shared((b) => new Uint8Array(b), n);
  }

  /**
   * Sorts `values` ascending with `payload` moving along, in place when they are in shared memory
   * (see allocate; otherwise they are copied there first); resolves to the sorted arrays.
   */
  sort(
    values: Float64Array,
    payload?: Uint8Array,
  ): Promise<{ values: Float64Array; payload: Uint8Array | undefined }> {
    if (values.length < WORKER_MIN_VALUES) return Promise.resolve(sortFloat64With(values, payload, true));
    const v = values.buffer instanceof SharedArrayBuffer ? values : copyShared(values);
    const p = payload && !(payload.buffer instanceof SharedArrayBuffer) ? copyShared(payload) : payload;
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const claim = new Int32Array(new SharedArrayBuffer(4));
      this.pending.set(id, { values: v, payload: p, claim, resolve, reject });
      // an awaited sort must keep the process alive; an idle worker must not
      worker.ref();
      worker.postMessage({ id, values: v, payload: p, claim });
    });
  }

  /**
   * Sorts queued sorts on this thread, latest first (the worker takes them oldest first), one at a
   * time with a turn of the event loop between them, until none is left unclaimed. For when this
   * thread would otherwise only wait for them.
   */
  async help(): Promise<void> {
    let scratch: { keys: Uint32Array; payload: Uint8Array } | undefined;
    for (;;) {
      const ids = [...this.pending.keys()].sort((a, b) => b - a);
      const id = ids.find((i) => Atomics.load((this.pending.get(i) as SortJob).claim, 0) === 0);
      if (id === undefined) return;
      const job = this.pending.get(id) as SortJob;
      if (Atomics.compareExchange(job.claim, 0, 0, 1) !== 0) continue;
      const n = job.values.length;
      if (!scratch || scratch.keys.length < 2 * n)
        scratch = { keys: new Uint32Array(2 * n), payload: new Uint8Array(n) };
      this.pending.delete(id);
      this.settled();
      try {
        sortFloat64With(job.values, job.payload, true, scratch);
        job.resolve({ values: job.values, payload: job.payload });
      } catch (err) {
        job.reject(err as Error);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Starts the worker now (it takes tens of milliseconds), e.g. while the caller waits for a load. */
  warm(): void {
    this.start();
  }

  /** Stops the worker (pending sorts fail). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  /** Lets an idle worker stop keeping the process alive. */
  private settled(): void {
    if (this.pending.size === 0) this.worker?.unref();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    worker.on('message', (reply: SortReply) => {
      if (reply.skipped) return;
      const job = this.pending.get(reply.id);
      if (!job) return;
      this.pending.delete(reply.id);
      this.settled();
      if (reply.error !== undefined) job.reject(new Error(`sort worker: ${reply.error}`));
      else job.resolve({ values: job.values, payload: job.payload });
    });
    const fail = (err: Error) => {
      for (const job of this.pending.values()) job.reject(err);
      this.pending.clear();
      this.worker = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.pending.size > 0) fail(new Error(`sort worker exited with code ${code}`));
    });
    this.worker = worker;
    return worker;
  }
}

/** A copy of the array in shared memory. */
function copyShared<T extends Float64Array | Uint8Array>(a: T): T {
  const copy =
    a instanceof Float64Array
      ? shared((b) => new Float64Array(b), a.length * 8)
      : shared((b) => new Uint8Array(b), a.length);
  copy.set(a);
  return copy as T;
}

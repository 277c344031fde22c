import { Worker } from 'node:worker_threads';
import { sortFloat64With } from '../drift/sorted-sample.ts';

/** Below this many values a column is sorted on the calling thread (a transfer costs more). */
const WORKER_MIN_VALUES = 65_536;

interface SortReply {
  id: number;
  values?: Float64Array;
  payload?: Uint8Array;
  error?: string;
}

// The worker runs the same function: its source is handed over as text, so the worker needs no
// module loader (it works the same from TypeScript sources and from a bundle).
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const sortFloat64With = ${sortFloat64With.toString()};
// one working buffer reused by every sort (grown to the largest column), so that the worker's
// memory does not grow with the number of columns
let scratch = { keys: new Uint32Array(0), payload: new Uint8Array(0) };
parentPort.on('message', ({ id, values, payload }) => {
  try {
    const n = values.length;
    if (scratch.keys.length < 2 * n) scratch = { keys: new Uint32Array(2 * n), payload: new Uint8Array(n) };
    const r = sortFloat64With(values, payload, true, scratch);
    const transfer = [r.values.buffer];
    if (r.payload && r.payload.buffer !== r.values.buffer) transfer.push(r.payload.buffer);
    parentPort.postMessage({ id, values: r.values, payload: r.payload }, transfer);
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.stack || err) });
  }
});`;

/**
 * Sorts numeric columns on a worker thread so that the main thread can keep DuckDB busy with the
 * next query meanwhile (the machine's other core does the sorting). One worker, started on the
 * first large sort, not keeping the process alive.
 */
export class SortPool {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<
    number,
    {
      resolve: (r: { values: Float64Array; payload: Uint8Array | undefined }) => void;
      reject: (e: Error) => void;
    }
  >();

  /** Sorts `values` ascending with `payload` moving along; both arrays are handed over (do not reuse them). */
  sort(
    values: Float64Array,
    payload?: Uint8Array,
  ): Promise<{ values: Float64Array; payload: Uint8Array | undefined }> {
    if (values.length < WORKER_MIN_VALUES) return Promise.resolve(sortFloat64With(values, payload, true));
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // an awaited sort must keep the process alive; an idle worker must not
      worker.ref();
      // copy views of a larger buffer into their own buffers so that only they are transferred
      const v =
        values.byteOffset === 0 && values.byteLength === values.buffer.byteLength ? values : values.slice();
      const p =
        payload && !(payload.byteOffset === 0 && payload.byteLength === payload.buffer.byteLength)
          ? payload.slice()
          : payload;
      const transfer: ArrayBuffer[] = [v.buffer as ArrayBuffer];
      if (p) transfer.push(p.buffer as ArrayBuffer);
      worker.postMessage({ id, values: v, payload: p }, transfer);
    });
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

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    worker.on('message', (reply: SortReply) => {
      const entry = this.pending.get(reply.id);
      if (!entry) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.error !== undefined || !reply.values) entry.reject(new Error(`sort worker: ${reply.error}`));
      else entry.resolve({ values: reply.values, payload: reply.payload });
    });
    const fail = (err: Error) => {
      for (const entry of this.pending.values()) entry.reject(err);
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

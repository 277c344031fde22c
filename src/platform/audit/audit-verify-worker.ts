// Worker thread of verifySqliteChain: verifies one seq range and posts the segment result.
import { parentPort, workerData } from 'node:worker_threads';
import { verifySqliteRange } from './audit-verify-sqlite.ts';

const { file, lo, hi } = workerData as { file: string; lo: number; hi: number };
const result = verifySqliteRange(file, lo, hi, (progress) => parentPort?.postMessage({ progress }));
parentPort?.postMessage({ result });

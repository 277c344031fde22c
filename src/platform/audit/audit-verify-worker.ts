// Worker thread of verifySqliteChain / verifyPostgresChain: verifies one seq range, posts the result.
import { parentPort, workerData } from 'node:worker_threads';
import { runVerifyJob, type VerifyJob } from './audit-verify-parallel.ts';

const result = await runVerifyJob(workerData as VerifyJob, (progress) =>
  parentPort?.postMessage({ progress }),
);
parentPort?.postMessage({ result });

/**
 * Monitoring benchmark: streaming ingestion (NDJSON batches of 10,000 predictions), one window's
 * checks over the streamed rows vs `assay validate` on the same rows (RUNS=3 alternating pairs,
 * medians reported), then Parquet batch ingestion (PQ_BATCHES files of 100,000 rows, default 10,
 * on the same day: each de-duplicated against the ids already stored).
 *
 *   node --import tsx bench/monitoring/run.ts [rows=1000000]
 *   node --import tsx bench/monitoring/run.ts --daily [deployments=100] [rows=100000]
 *
 * Uses a throw-away SQLite store and data directory; rows are the UCI Adult production rows
 * (data/adult) repeated with new ids and timestamps within one day.
 *
 * `--daily` is the daily run: `deployments` deployments with the fixture plan and reference, each
 * with one day of `rows` predictions (one Parquet batch with the labels, so performance, drift,
 * data quality and CBPE are all computed), then one scheduler tick (`runDue`, what the scheduler
 * calls) computes every deployment's window; the tick is timed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { withDuckDb } from '../../src/engine/monitoring/segments.ts';
import { validate } from '../../src/engine/validate.ts';
import {
  ADULT_FEATURES,
  adultPlan,
  adultPredictions,
  predictionsNdjson,
  referenceCsv,
} from '../../src/governance/monitoring/monitoring-fixture.ts';
import type { Caller } from '../../src/platform/auth/caller.ts';
import { startTestServer } from '../../test/support/test-server.ts';

const daily = process.argv[2] === '--daily';
const rows = Number((daily ? process.argv[4] : process.argv[2]) ?? (daily ? 100_000 : 1_000_000));
const deployments = Number(process.argv[3] ?? 100);
const BATCH = 10_000;
const admin: Caller = {
  principal: { userId: 'x', username: 'admin', role: 'admin', scope: 'admin', tokenId: 't' },
  audit: { actor: 'admin', requestId: null },
};

// CPU seconds (all threads of the process) beside wall seconds: on a loaded machine the wall
// clock measures the neighbours too
const cpu = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

const t = await startTestServer('sqlite', '2026-03-05T00:00:00.000Z');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-mon-'));
try {
  if (daily) await dailyRun();
  else await throughput();
} finally {
  await t.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}

/** The daily run: one scheduler tick computing a day's window of every deployment. */
async function dailyRun(): Promise<void> {
  // one day (2026-03-03: closed, and past its delay, at the server's clock) of `rows` predictions
  // with their labels, as one Parquet file every deployment ingests
  const preds = adultPredictions('2026-03-03T00:00:00.000Z', 1, rows);
  const ndjson = path.join(tmp, 'day.ndjson');
  fs.writeFileSync(
    ndjson,
    preds
      .map((p) => {
        const o: Record<string, string | number> = {
          prediction_id: p.prediction_id,
          timestamp: p.timestamp,
          label: Number(p.label),
          score: Number(p.row.score),
        };
        for (const f of ADULT_FEATURES) {
          const v = p.row[f] as string;
          o[f] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
        }
        return JSON.stringify(o);
      })
      .join('\n'),
  );
  const day = path.join(tmp, 'day.parquet');
  await withDuckDb(async (conn) => {
    await conn.run(
      `COPY (SELECT * FROM read_json('${ndjson}', format='newline_delimited')) TO '${day}' (FORMAT parquet)`,
    );
  });
  const refFile = path.join(tmp, 'reference.csv');
  fs.writeFileSync(refFile, referenceCsv());
  await t.call('POST', '/api/v1/models', { key: 'bench', name: 'bench', type: 'classification' });
  const setup0 = performance.now();
  for (let d = 0; d < deployments; d++) {
    await t.call('POST', '/api/v1/models/bench/versions', { label: `1.0.${d}` });
    const dep = (
      await t.call('POST', '/api/v1/models/bench/deployments', {
        version: `1.0.${d}`,
        environment: 'staging',
      })
    ).json().id;
    await t.services.monitoringPlans.apply(admin, dep, adultPlan());
    await t.services.monitoringIngest.ingest(admin, dep, 'reference', { file: refFile, format: 'csv' });
    await t.services.monitoringIngest.ingest(admin, dep, 'predictions', { file: day, format: 'parquet' });
  }
  const setupS = (performance.now() - setup0) / 1000;
  const load0 = os.loadavg();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const windows = await t.services.monitoringRuns.runDue();
  const seconds = (performance.now() - start) / 1000;
  const cpuSeconds = cpu(cpu0);
  const computed = windows.filter((w) => w.rows > 0);
  console.log(
    JSON.stringify(
      {
        loadAverage: { before: load0, after: os.loadavg() },
        deployments,
        rowsPerDeployment: rows,
        setupSeconds: setupS,
        daily: {
          windows: windows.length,
          windowsWithRows: computed.length,
          rows: computed.reduce((a, w) => a + w.rows, 0),
          seconds,
          cpuSeconds,
          perWindowSeconds: seconds / Math.max(1, computed.length),
          perWindowCpuSeconds: cpuSeconds / Math.max(1, computed.length),
        },
      },
      null,
      2,
    ),
  );
}

/** Ingestion throughput (NDJSON stream, Parquet batch) and one window vs `validate`. */
async function throughput(): Promise<void> {
  await t.call('POST', '/api/v1/models', { key: 'bench', name: 'bench', type: 'classification' });
  await t.call('POST', '/api/v1/models/bench/versions', { label: '1.0.0' });
  const dep = (
    await t.call('POST', '/api/v1/models/bench/deployments', { version: '1.0.0', environment: 'staging' })
  ).json().id;
  await t.services.monitoringPlans.apply(admin, dep, adultPlan());
  const refFile = path.join(tmp, 'reference.csv');
  fs.writeFileSync(refFile, referenceCsv());
  await t.services.monitoringIngest.ingest(admin, dep, 'reference', { file: refFile, format: 'csv' });

  // streaming: NDJSON batches of 10,000 rows, all within 2026-03-01
  const batches = Math.ceil(rows / BATCH);
  const perBatch = adultPredictions('2026-03-01T00:00:00.000Z', 1, BATCH);
  const bodies = Array.from({ length: batches }, (_, b) =>
    Buffer.from(predictionsNdjson(perBatch.map((p) => ({ ...p, prediction_id: `${b}-${p.prediction_id}` })))),
  );
  let cpu0 = process.cpuUsage();
  let start = performance.now();
  for (const body of bodies)
    await t.services.monitoringIngest.ingest(admin, dep, 'predictions', { ndjson: body });
  const ndjsonS = (performance.now() - start) / 1000;
  const ndjsonCpu = cpu(cpu0);

  // one window over the streamed rows (1M: before the Parquet batches, which fall on the same day)
  // vs assay validate on the same rows (exported once), alternating:
  // the first of each is also the process's first use of the engine's code (the JIT warms up on
  // it), so the figures are the medians of RUNS pairs (default 3), every run listed
  const current = path.join(tmp, 'window.parquet');
  const segs = path.join(t.services.monitoringIngest.segmentDir(dep), 'predictions', '*.parquet');
  const ref = path.join(tmp, 'ref.parquet');
  // RUNS=0 skips the window and validate (ingestion figures only)
  const runs = Math.max(0, Number(process.env.RUNS ?? 3));
  if (runs > 0)
    await withDuckDb(async (conn) => {
      await conn.run(
        `COPY (SELECT * EXCLUDE (__pid, __ts, __batch) FROM read_parquet('${segs}', union_by_name = true)) TO '${current}' (FORMAT parquet)`,
      );
      await conn.run(
        `COPY (SELECT * EXCLUDE (label) FROM read_csv('${refFile}')) TO '${ref}' (FORMAT parquet)`,
      );
    });
  const windowRuns: { seconds: number; cpuSeconds: number }[] = [];
  const validateRuns: { seconds: number; cpuSeconds: number }[] = [];
  let windowRows = 0;
  for (let r = 0; r < runs; r++) {
    cpu0 = process.cpuUsage();
    start = performance.now();
    const windows = await t.services.monitoringRuns.run(admin, dep, {
      from: '2026-03-01T00:00:00Z',
      to: '2026-03-02T00:00:00Z',
      recompute: true,
    });
    windowRuns.push({ seconds: (performance.now() - start) / 1000, cpuSeconds: cpu(cpu0) });
    windowRows = windows[0]?.rows ?? 0;
    cpu0 = process.cpuUsage();
    start = performance.now();
    await validate({
      data: current,
      reference: ref,
      features: [...ADULT_FEATURES, 'score'],
      categorical: ['sex', 'race', 'occupation'],
      now: new Date(),
    });
    validateRuns.push({ seconds: (performance.now() - start) / 1000, cpuSeconds: cpu(cpu0) });
  }
  // Parquet: PQ_BATCHES (default 10) files of 100,000 rows each (the first 100,000 rows of the
  // stream with new ids per file), ingested one after another through the service (manifest,
  // audit, de-duplication against the 1M ids stored, segment write); timed in total
  const pqBatches = Math.max(1, Number(process.env.PQ_BATCHES ?? 10));
  const pqBatchRows = Math.min(10, batches) * BATCH;
  const ndjsonFile = path.join(tmp, 'all.ndjson');
  fs.writeFileSync(
    ndjsonFile,
    bodies
      .slice(0, Math.min(10, batches))
      .map((b) => b.toString())
      .join('\n'),
  );
  const parquets = Array.from({ length: pqBatches }, (_, i) => path.join(tmp, `batch-${i}.parquet`));
  await withDuckDb(async (conn) => {
    for (const [i, file] of parquets.entries())
      await conn.run(
        `COPY (SELECT predictionId || '-pq${i}' AS prediction_id, "timestamp", UNNEST(features), score FROM read_json('${ndjsonFile}', format='newline_delimited')) TO '${file}' (FORMAT parquet)`,
      );
  });
  const pqRows = pqBatches * pqBatchRows;
  const pqEach: number[] = [];
  cpu0 = process.cpuUsage();
  start = performance.now();
  for (const file of parquets) {
    const t0 = performance.now();
    await t.services.monitoringIngest.ingest(admin, dep, 'predictions', { file, format: 'parquet' });
    pqEach.push(Math.round(performance.now() - t0));
  }
  const parquetS = (performance.now() - start) / 1000;
  const parquetCpu = cpu(cpu0);

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const windowS = median(windowRuns.map((w) => w.seconds));
  const windowCpu = median(windowRuns.map((w) => w.cpuSeconds));
  const validateS = median(validateRuns.map((w) => w.seconds));
  const validateCpu = median(validateRuns.map((w) => w.cpuSeconds));
  console.log(
    JSON.stringify(
      {
        loadAverage: os.loadavg(),
        rows: batches * BATCH,
        ndjson: {
          seconds: ndjsonS,
          cpuSeconds: ndjsonCpu,
          rowsPerSecond: Math.round((batches * BATCH) / ndjsonS),
          rowsPerCpuSecond: Math.round((batches * BATCH) / ndjsonCpu),
        },
        parquet: {
          rows: pqRows,
          seconds: parquetS,
          cpuSeconds: parquetCpu,
          rowsPerSecond: Math.round(pqRows / parquetS),
          rowsPerCpuSecond: Math.round(pqRows / parquetCpu),
          batches: pqBatches,
          batchMs: pqEach,
        },
        window: {
          rows: windowRows || batches * BATCH,
          seconds: windowS,
          cpuSeconds: windowCpu,
          runs: windowRuns,
        },
        validate: { seconds: validateS, cpuSeconds: validateCpu, runs: validateRuns },
        windowOverValidate: windowS / validateS,
        windowOverValidateCpu: windowCpu / validateCpu,
      },
      null,
      2,
    ),
  );
}

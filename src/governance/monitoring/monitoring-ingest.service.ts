import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type {
  BatchManifest,
  IngestKind,
  MonitoringPlanDocument,
  UnknownDeployment,
} from '../../contracts/monitoring.ts';
import { InputError } from '../../engine/load/input-error.ts';
import type { DataFormat } from '../../engine/load/load-table.ts';
import {
  removeSegment,
  type SegmentColumns,
  type SegmentInfo,
  type SegmentSource,
  segmentSha256,
  writeOutcomeSegment,
  writePredictionSegment,
} from '../../engine/monitoring/segments.ts';
import { appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { decide } from '../../platform/auth/permissions.ts';
import { aRole } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { MonitoringBatchesTable } from '../../platform/db/tables/monitoring.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import {
  activePlan,
  batchByInput,
  batches,
  deploymentRow,
  insertBatch,
  listUnknownDeployments,
  nextBatchSeq,
  recordUnknownDeployment,
} from './monitoring.store.ts';
import type { MonitoringPlansService } from './monitoring-plans.service.ts';

let arrivals = 0;
/** A key that orders batches by arrival (the newest label of a prediction id wins). */
function arrivalKey(now: number): string {
  arrivals = (arrivals + 1) % 1e9;
  return `${String(now).padStart(15, '0')}.${String(arrivals).padStart(9, '0')}`;
}

/** The API view of a batch manifest. */
export function manifestView(row: MonitoringBatchesTable): BatchManifest {
  return {
    id: row.id,
    deploymentId: row.deployment_id,
    kind: row.kind as IngestKind,
    seq: row.seq,
    sha256: row.sha256,
    rows: row.rows,
    from: row.from_ts,
    to: row.to_ts,
    ingestedAt: row.ingested_at,
  };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The input of one ingestion: a file, or NDJSON lines of the streaming API. */
export type IngestInput = { file: string; format: DataFormat } | { ndjson: Buffer };

/**
 * Ingestion of prediction logs, late outcomes and the reference: rows go to append-only Parquet
 * segments under `<dataDir>/monitoring/<deployment>/` (never through the audited write path);
 * only each batch's manifest (input hash, rows, time range) is stored and audited. A batch sent
 * twice (same bytes) is recognised and not stored again.
 */
export class MonitoringIngestService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly plans: MonitoringPlansService,
    private readonly root: string,
  ) {}

  /** The ingestion in progress per deployment (batches of one deployment are stored one at a time). */
  private readonly queues = new Map<string, Promise<unknown>>();

  /** Where a deployment's segments live. */
  segmentDir(deploymentId: string): string {
    return path.join(this.root, deploymentId);
  }

  /** Absolute path of a manifest's segment. */
  segmentPath(row: MonitoringBatchesTable): string {
    return path.join(this.root, row.segment);
  }

  /** Ingests one batch. Unknown deployment ids are recorded (listUnknownDeployments) and refused with 404. */
  async ingest(
    caller: Caller,
    deploymentId: string,
    kind: IngestKind,
    input: IngestInput,
  ): Promise<{ batches: BatchManifest[]; duplicate: boolean; duplicateIds: number }> {
    // one batch of a deployment at a time in this process: each sees the ids the previous stored
    const previous = this.queues.get(deploymentId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.ingestNow(caller, deploymentId, kind, input));
    const tail = run.catch(() => undefined);
    this.queues.set(deploymentId, tail);
    void tail.then(() => {
      if (this.queues.get(deploymentId) === tail) this.queues.delete(deploymentId);
    });
    return run;
  }

  private async ingestNow(
    caller: Caller,
    deploymentId: string,
    kind: IngestKind,
    input: IngestInput,
  ): Promise<{ batches: BatchManifest[]; duplicate: boolean; duplicateIds: number }> {
    const known = await deploymentRow(this.db.kysely, deploymentId);
    if (!known) {
      await this.recordUnknown(deploymentId);
      throw new NotFoundError('deployment', deploymentId);
    }
    // the row just read, not read again
    const dep = await this.plans.authorized(caller, known, 'monitoring.ingest');
    const planRow = await activePlan(this.db.kysely, dep.id);
    const doc = planRow ? (JSON.parse(planRow.document_json) as MonitoringPlanDocument) : null;
    const columns: SegmentColumns = {
      predictionId: doc?.columns.predictionId ?? 'prediction_id',
      timestamp: doc?.columns.timestamp ?? 'timestamp',
      label: doc?.columns.label ?? 'label',
    };
    let scratch: string | null = null;
    try {
      let source: SegmentSource;
      let sha256: string;
      if ('ndjson' in input) {
        const file = await this.scratchFile(input.ndjson);
        scratch = file;
        source = {
          ndjson: file,
          score: doc?.columns.score ?? doc?.columns.prediction ?? 'score',
          bytes: input.ndjson,
        };
        // the bytes are at hand: hashed in memory, not read back from the file
        sha256 = createHash('sha256').update(input.ndjson).digest('hex');
      } else {
        source = input;
        sha256 = await segmentSha256(input.file);
      }
      const b = doc?.baseline;
      if (kind === 'reference' && b?.type === 'validation' && b.sha256 && b.sha256 !== sha256)
        throw new ValidationError(
          `the plan's baseline is the ${b.input} of validation run ${b.evidence} (SHA-256 ${b.sha256}); this file's SHA-256 is ${sha256}`,
          'body',
        );
      const seen = await batchByInput(this.db.kysely, dep.id, kind, sha256);
      if (seen) return { batches: [manifestView(seen)], duplicate: true, duplicateIds: 0 };
      const id = newId(this.clock.now().getTime());
      const key = arrivalKey(Date.now());
      const dir = this.segmentDir(dep.id);
      const rel = (k: string) => path.join(dep.id, k, `${id}.parquet`);
      await mkdir(path.join(dir, kind), { recursive: true });
      await mkdir(path.join(dir, 'outcomes'), { recursive: true });
      const written: { kind: IngestKind; info: SegmentInfo; segment: string }[] = [];
      let duplicateIds = 0;
      try {
        if (kind === 'outcomes') {
          const predictions = (await batches(this.db.kysely, dep.id, 'predictions')).map((b) =>
            this.segmentPath(b),
          );
          const info = await writeOutcomeSegment({
            source,
            columns,
            batchId: key,
            out: path.join(this.root, rel('outcomes')),
            predictionSegments: [...new Set(predictions)],
          });
          written.push({ kind, info, segment: rel('outcomes') });
        } else {
          const existing =
            kind === 'predictions'
              ? (await batches(this.db.kysely, dep.id, 'predictions'))
                  .filter((b) => b.from_ts !== null && b.to_ts !== null)
                  .map((b) => ({
                    file: this.segmentPath(b),
                    from: Date.parse(b.from_ts as string),
                    to: Date.parse(b.to_ts as string),
                  }))
              : [];
          const { predictions, outcomes } = await writePredictionSegment({
            source,
            columns,
            batchId: key,
            out: path.join(this.root, rel(kind)),
            outcomesOut: path.join(this.root, rel('outcomes')),
            reference: kind === 'reference',
            existing,
            indexKey: dir,
          });
          duplicateIds = predictions.duplicates;
          written.push({ kind, info: predictions, segment: rel(kind) });
          if (outcomes) written.push({ kind: 'outcomes', info: outcomes, segment: rel('outcomes') });
        }
        const now = this.clock.now().toISOString();
        const rows: MonitoringBatchesTable[] = [];
        for (const w of written) {
          rows.push({
            id: w.kind === kind ? id : newId(this.clock.now().getTime()),
            deployment_id: dep.id,
            kind: w.kind,
            seq: 0,
            sha256,
            // a segment is small and was just written: read whole, not streamed
            segment_sha256: createHash('sha256')
              .update(await readFile(path.join(this.root, w.segment)))
              .digest('hex'),
            segment: w.segment,
            rows: w.info.rows,
            from_ts: iso(w.info.from),
            to_ts: iso(w.info.to),
            columns_json: JSON.stringify(w.info.columns),
            ingested_by: caller.audit.actor,
            ingested_at: now,
          });
        }
        const stored = await this.db.write(async (tx) => {
          let seq = await nextBatchSeq(tx, dep.id);
          for (const row of rows) {
            row.seq = seq++;
            await insertBatch(tx, row);
            await appendAuditEvent(tx, this.clock, caller.audit, {
              action: 'monitoring.batch_ingested',
              entityType: 'monitoring_batch',
              entityId: row.id,
              modelId: dep.model_id,
              after: manifestView(row),
            });
          }
          return rows.map(manifestView);
        });
        return { batches: stored, duplicate: false, duplicateIds };
      } catch (err) {
        for (const w of written) await removeSegment(path.join(this.root, w.segment));
        if (err instanceof InputError) throw new ValidationError(`batch refused: ${err.message}`, 'body');
        // DuckDB's own read errors (not CSV, not Parquet) are bad input too
        if (err instanceof Error && /^(Invalid Input|IO|Conversion|Parser|Binder) Error/.test(err.message)) {
          throw new ValidationError(`batch refused: ${err.message.split('\n')[0]}`, 'body');
        }
        throw err;
      }
    } finally {
      if (scratch) await rm(scratch, { force: true });
    }
  }

  /**
   * Writes an NDJSON batch (DuckDB reads files) to a file of its own in `.scratch` under the
   * monitoring root, in the data directory, so nothing is left in the system's temporary directory;
   * the caller removes it. One file a batch, not a directory made and removed a batch; the
   * `mkdir` (one call) also brings back a directory removed meanwhile.
   */
  private async scratchFile(bytes: Buffer): Promise<string> {
    const dir = path.join(this.root, '.scratch');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `${randomUUID()}.ndjson`);
    await writeFile(file, bytes);
    return file;
  }

  /**
   * Records a sighting of an unknown deployment id. An observation, not a governance change (like
   * the prediction rows themselves it is kept off the audit trail): the refused batch changes
   * nothing recorded, and registering the model it reveals is the audited act.
   */
  private async recordUnknown(deploymentId: string): Promise<void> {
    await this.db.write((tx) => recordUnknownDeployment(tx, deploymentId, this.clock.now().toISOString()));
  }

  /**
   * Deployment ids ingestion saw that the inventory does not know (not registered since), most
   * recent first: what the shadow-model reconciliation reads.
   */
  listUnknownDeployments(): Promise<UnknownDeployment[]> {
    return listUnknownDeployments(this.db.kysely);
  }

  /** The same list for a caller: portfolio-wide, so global readers only (like the exception report). */
  unknownDeploymentsFor(caller: Caller): Promise<UnknownDeployment[]> {
    if (decide(caller.principal, 'report.read') !== 'allow')
      throw new ForbiddenError(`${aRole(caller.principal.role)} may not list unknown deployments`, {
        action: 'report.read',
      });
    return this.listUnknownDeployments();
  }
}

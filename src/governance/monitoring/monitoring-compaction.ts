import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { mergeSegments } from '../../engine/monitoring/compact.ts';
import { segmentSha256 } from '../../engine/monitoring/segments.ts';
import { type AuditContext, appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';
import { batches, deploymentRow, moveBatchesToSegment } from './monitoring.store.ts';
import type { MonitoringIngestService } from './monitoring-ingest.service.ts';

/** Segment files of one kind beyond which a deployment's segments are merged. */
export const COMPACT_AT = 16;

/**
 * The compaction job: when a deployment has more than COMPACT_AT segment files of a kind, merges
 * them into one and points their manifests at it (audited as `monitoring.segments_compacted`;
 * the rows, ids, batch order and therefore every window's numbers stay the same). The replaced
 * files are removed by the next pass, so a window being read from them meanwhile still finds them.
 */
export class MonitoringCompaction {
  private readonly retired = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ingest: MonitoringIngestService,
  ) {}

  async compact(deploymentId: string, audit: AuditContext, threshold = COMPACT_AT): Promise<number> {
    for (const file of this.retired) await rm(file, { force: true });
    this.retired.clear();
    const dep = await deploymentRow(this.db.kysely, deploymentId);
    if (!dep) return 0;
    let merged = 0;
    for (const kind of ['predictions', 'outcomes'] as const) {
      const rows = await batches(this.db.kysely, deploymentId, kind);
      const files = [...new Set(rows.map((b) => this.ingest.segmentPath(b)))];
      if (files.length <= threshold) continue;
      const rel = path.join(deploymentId, kind, `compacted-${newId(this.clock.now().getTime())}.parquet`);
      const out = path.join(this.ingest.segmentDir(deploymentId), '..', rel);
      await mkdir(path.dirname(out), { recursive: true });
      const n = await mergeSegments(files, out);
      const sha256 = await segmentSha256(out);
      await this.db.write(async (tx) => {
        await moveBatchesToSegment(
          tx,
          rows.map((b) => b.id),
          rel,
          sha256,
        );
        await appendAuditEvent(tx, this.clock, audit, {
          action: 'monitoring.segments_compacted',
          entityType: 'monitoring_segment',
          entityId: rel,
          modelId: dep.model_id,
          after: { deploymentId, kind, segment: rel, sha256, rows: n, batches: rows.map((b) => b.id) },
        });
      });
      for (const f of files) this.retired.add(f);
      merged += files.length;
    }
    return merged;
  }
}

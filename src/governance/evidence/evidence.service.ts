import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Evidence, EvidenceCreate } from '../../contracts/evidence.ts';
import type { EvidenceType } from '../../contracts/policy.ts';
import { appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import type { BlobStore, StoredBlob } from '../../platform/blob-store.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { EvidenceTable } from '../../platform/db/tables/workflow-reviews.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { VersionsService } from '../inventory/versions.service.ts';
import { reviewStateOf } from '../reviews/reviews.queries.ts';
import {
  currentEvidenceRows,
  type EvidenceRow,
  evidenceById,
  evidenceOfVersion,
  evidenceView,
  insertEvidence,
  updateSuperseded,
} from './evidence.store.ts';

/** An uploaded file, already in the blob store. */
export interface UploadedFile extends StoredBlob {
  mediaType: string | null;
  filename: string | null;
}

/** Evidence: typed, content-addressed files or external URLs, with provenance; superseded, never deleted. */
export class EvidenceService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly blobs: BlobStore,
    private readonly uploadLimit: number,
    private readonly models: ModelsService,
    private readonly versions: VersionsService,
  ) {}

  /** Streams an upload into the blob store (413 past the upload limit). */
  async storeUpload(source: Readable, tooLarge?: () => boolean): Promise<StoredBlob> {
    return this.blobs.put(source, this.uploadLimit, tooLarge);
  }

  /** Checks the caller may attach evidence to this version, before any bytes are stored. */
  async checkCanAttach(caller: Caller, key: string, label: string): Promise<void> {
    const model = await this.models.authorize(caller.principal, key, 'evidence.write');
    await this.versions.find(model, label);
  }

  /** Attaches evidence (a stored file or an external URL) to a model version. Audited. */
  async create(
    caller: Caller,
    key: string,
    label: string,
    meta: EvidenceCreate,
    file?: UploadedFile,
  ): Promise<Evidence> {
    if (file && meta.externalUrl)
      throw new ValidationError('give a file or an externalUrl, not both', 'externalUrl');
    if (!file && !meta.externalUrl)
      throw new ValidationError('evidence needs a file or an externalUrl', 'externalUrl');
    const now = this.clock.now();
    if (meta.validUntil && Date.parse(meta.validUntil) <= now.getTime())
      throw new ValidationError('validUntil must be in the future', 'validUntil');
    if (file && !(await this.blobs.has(file.sha256)))
      throw new ValidationError('the uploaded file is missing', 'file');
    return this.db.write((tx) => this.attachIn(tx, caller, key, label, meta, file));
  }

  /**
   * Attaches evidence inside the caller's write transaction (a job's completion: the evidence is
   * attached with the job's first completion only). The file must be in the blob store already.
   */
  async attachIn(
    tx: Kysely<Database>,
    caller: Caller,
    key: string,
    label: string,
    meta: EvidenceCreate,
    file?: UploadedFile,
  ): Promise<Evidence> {
    const now = this.clock.now();
    {
      const model = await this.models.authorize(caller.principal, key, 'evidence.write', tx);
      const version = await this.versions.find(model, label, tx);
      const row: EvidenceTable = {
        id: newId(),
        model_id: model.id,
        version_id: version.id,
        type: meta.type,
        title: meta.title,
        description: meta.description ?? null,
        blob_sha256: file?.sha256 ?? null,
        size_bytes: file?.size ?? null,
        media_type: file?.mediaType ?? null,
        filename: file?.filename ?? null,
        external_url: meta.externalUrl ?? null,
        uploaded_by: caller.audit.actor,
        produced_by_tool: meta.producedBy?.tool ?? null,
        produced_by_tool_version: meta.producedBy?.version ?? null,
        inputs_json: JSON.stringify(meta.inputs ?? []),
        valid_until: meta.validUntil ? new Date(meta.validUntil).toISOString() : null,
        superseded_by: null,
        superseded_at: null,
        created_at: now.toISOString(),
        row_version: 1,
        review_id: meta.reviewId ?? null,
      };
      if (meta.reviewId) {
        // Evidence named for a review counts for that review's cycle: it must be an open review of this version.
        const review = await reviewStateOf(tx, meta.reviewId);
        if (!review || review.version_id !== version.id)
          throw new ValidationError(
            `review '${meta.reviewId}' is not a review of ${key}@${label}`,
            'reviewId',
          );
        if (review.state === 'closed' || review.state === 'withdrawn')
          throw new ValidationError(`review '${meta.reviewId}' is ${review.state}`, 'reviewId');
      }
      if (meta.supersedes) {
        const old = await evidenceById(tx, meta.supersedes);
        if (!old || old.model_id !== model.id)
          throw new ValidationError(
            `evidence '${meta.supersedes}' is not evidence of model '${key}'`,
            'supersedes',
          );
        await insertEvidence(tx, row);
        await this.markSuperseded(tx, caller, old, row.id, null);
      } else {
        await insertEvidence(tx, row);
      }
      const view = evidenceView({ ...row, model_key: model.key, version_label: version.label }, now);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'evidence.added',
        entityType: 'evidence',
        entityId: row.id,
        modelId: model.id,
        after: view,
      });
      return view;
    }
  }

  /** The evidence row (with its model's key), for a job reading its file; undefined when unknown. */
  async row(id: string): Promise<EvidenceRow | undefined> {
    return evidenceById(this.db.kysely, id);
  }

  /** Evidence of one version, newest first (superseded only on request). */
  async listForVersion(
    caller: Caller,
    key: string,
    label: string,
    options: { type?: EvidenceType | undefined; includeSuperseded?: boolean },
  ): Promise<Evidence[]> {
    const model = await this.models.authorize(caller.principal, key, 'evidence.read');
    const version = await this.versions.find(model, label);
    const rows = await evidenceOfVersion(this.db.kysely, version.id, options);
    const now = this.clock.now();
    return rows.map((r) => evidenceView(r, now));
  }

  /** One piece of evidence (404 when the caller may not see its model). */
  async get(caller: Caller, id: string): Promise<Evidence> {
    return evidenceView(await this.readable(caller, id), this.clock.now());
  }

  /** The stored file of evidence, to stream. */
  async content(caller: Caller, id: string): Promise<{ stream: Readable; evidence: Evidence }> {
    const row = await this.readable(caller, id);
    if (!row.blob_sha256) throw new NotFoundError('evidence file', id);
    return { stream: this.blobs.open(row.blob_sha256), evidence: evidenceView(row, this.clock.now()) };
  }

  /** Marks evidence superseded without a replacement (never deleted). */
  async supersede(caller: Caller, id: string, reason: string): Promise<Evidence> {
    return this.db.write(async (tx) => {
      const row = await evidenceById(tx, id);
      if (!row) throw new NotFoundError('evidence', id);
      await this.models.authorize(caller.principal, row.model_key, 'evidence.write', tx);
      const next = await this.markSuperseded(tx, caller, row, null, reason);
      return evidenceView(next, this.clock.now());
    });
  }

  /** Current (not superseded) evidence rows of a version: what checklists are derived from. */
  async currentForVersion(versionId: string, tx: Kysely<Database> = this.db.kysely): Promise<Evidence[]> {
    const rows = await currentEvidenceRows(tx, versionId);
    const now = this.clock.now();
    return rows.map((r) => evidenceView(r, now));
  }

  private async markSuperseded(
    tx: Kysely<Database>,
    caller: Caller,
    row: EvidenceRow,
    by: string | null,
    reason: string | null,
  ): Promise<EvidenceRow> {
    if (row.superseded_at !== null) throw new ConflictError(`evidence '${row.id}' is already superseded`);
    const now = this.clock.now();
    const next: EvidenceRow = {
      ...row,
      superseded_by: by,
      superseded_at: now.toISOString(),
      row_version: Number(row.row_version) + 1,
    };
    if (!(await updateSuperseded(tx, next, row.row_version)))
      throw new ConflictError(`evidence '${row.id}' changed concurrently`);
    const after = evidenceView(next, now);
    await appendAuditEvent(tx, this.clock, caller.audit, {
      action: 'evidence.superseded',
      entityType: 'evidence',
      entityId: row.id,
      modelId: row.model_id,
      before: evidenceView(row, now),
      after: reason ? { ...after, reason } : after,
    });
    return next;
  }

  private async readable(caller: Caller, id: string): Promise<EvidenceRow> {
    const row = await evidenceById(this.db.kysely, id);
    if (!row) throw new NotFoundError('evidence', id);
    try {
      await this.models.authorize(caller.principal, row.model_key, 'evidence.read');
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError('evidence', id);
      throw err;
    }
    return row;
  }
}

import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AUDIT_PACKAGE_FORMAT,
  type AuditPackageManifest,
  type AuditPackageQuery,
} from '../../contracts/audit-package.ts';
import { AUDIT_ROW_COLUMNS } from '../../platform/audit/audit-hash.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import type { BlobStore } from '../../platform/blob-store.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { SigningKey } from '../../platform/signing/signing-key.ts';
import type { DocumentationService } from '../documentation/documentation.service.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { VersionsService } from '../inventory/versions.service.ts';
import type { ReviewsService } from '../reviews/reviews.service.ts';
import { chainHeadRow, datasetEvents, modelEventPage, modelExistedAt } from './audit-package.queries.ts';
import { type AnnexIvSource, addAnnexIv } from './package-annex-iv.ts';
import { addPackageCheckpoints } from './package-checkpoints.ts';
import { HTML_EVENT_ROWS, renderIndexHtml } from './package-html.ts';
import { PACKAGE_PATHS } from './package-paths.ts';
import { addStandardExports, revisionAsOf } from './package-standard-exports.ts';
import { PackageState } from './package-state.ts';
import { PackageZip } from './package-zip.ts';

/** Events read per query while streaming the model's trail. */
const EVENT_PAGE = 2000;

/**
 * The documentation source of the package (model cards and datasheets as HTML and JSON). The
 * documentation service fills it; without one the package simply has no documents.
 */
export type PackageDocuments = Pick<
  DocumentationService,
  'cardRevisions' | 'exportCard' | 'getCard' | 'datasheetRevisions' | 'exportDatasheet' | 'getDatasheet'
>;

/** A package being streamed. */
export interface AuditPackageStream {
  filename: string;
  stream: Readable;
  /** The manifest once the last byte is written (rejects when the build fails). */
  done: Promise<AuditPackageManifest>;
}

function fileSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120) || '_';
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Builds audit packages: one zip, streamed, with the model's records (from the audit trail's
 * snapshots, so "as of" is the same read), evidence files piped from the blob store, the model card
 * and datasheets, the model's audit events with their chain hashes, and a signed manifest.
 */
export class AuditPackageService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deps: {
      models: ModelsService;
      versions: VersionsService;
      reviews: ReviewsService;
      blobs: BlobStore;
      signingKey: SigningKey;
      documents: PackageDocuments | null;
      /** EU AI Act Annex IV documentation of high-risk models (package-annex-iv.ts). */
      annexIv?: AnnexIvSource | null;
      assayVersion: string;
    },
  ) {}

  /** Checks the request (404/403 before any byte is sent), then starts streaming the package. */
  async open(caller: Caller, key: string, q: AuditPackageQuery): Promise<AuditPackageStream> {
    const model = await this.deps.models.authorize(caller.principal, key, 'audit_package.export');
    if (q.version !== undefined) await this.deps.versions.find(model, q.version);
    const asOf = q.asOf === undefined ? null : new Date(q.asOf).toISOString();
    const k = this.db.kysely;
    if (asOf !== null) {
      if (!(await modelExistedAt(k, model.id, asOf)))
        throw new NotFoundError('model', `${key} as of ${asOf}`);
    }
    await this.db.linkAudit(); // events left in the outbox by a process that died are in the chain
    const head = await chainHeadRow(k);
    const createdAt = this.clock.now().toISOString();
    const zip = new PackageZip(new Date(createdAt));
    const ctx: BuildContext = {
      caller,
      model: { id: model.id, key: model.key, name: model.name },
      version: q.version ?? null,
      asOf,
      createdAt,
      head: head ? { seq: Number(head.seq), hash: head.hash } : null,
      zip,
    };
    const done = this.build(ctx);
    done.catch((err: Error) => zip.fail(err));
    const stamp = (asOf ?? createdAt).replace(/[:.]/g, '').replace(/-/g, '');
    const filename = `audit-package-${fileSafe(model.key)}${q.version ? `-${fileSafe(q.version)}` : ''}-${stamp}.zip`;
    return { filename, stream: zip.output, done };
  }

  /** The model's events in seq order, up to the chain head read at the start (and `asOf`). */
  private async *modelEvents(modelId: string, lastSeq: number, asOf: string | null) {
    let after = 0;
    for (;;) {
      const rows = await modelEventPage(this.db.kysely, modelId, { after, lastSeq, asOf }, EVENT_PAGE);
      for (const r of rows) yield { ...r, seq: Number(r.seq) };
      if (rows.length < EVENT_PAGE) return;
      after = Number(rows[rows.length - 1]!.seq);
    }
  }

  /** Dataset snapshots (the datasets and every ancestor) as of the package's time. */
  private async datasetsAsOf(ids: readonly string[], ctx: BuildContext): Promise<Record<string, unknown>[]> {
    const found = new Map<string, Record<string, unknown>>();
    const pending = [...new Set(ids)];
    while (pending.length > 0) {
      const batch = pending.splice(0, 500);
      for (const r of await datasetEvents(this.db.kysely, batch, ctx.head?.seq ?? 0, ctx.asOf))
        if (r.after_json !== null)
          found.set(r.entity_id, JSON.parse(r.after_json) as Record<string, unknown>);
      for (const id of batch) {
        const parents = found.get(id)?.derivedFrom;
        if (Array.isArray(parents))
          for (const p of parents)
            if (!found.has(String(p)) && !pending.includes(String(p))) pending.push(String(p));
      }
    }
    return [...found.values()].sort((a, b) => String(a.name).localeCompare(String(b.name)));
  }

  private async build(ctx: BuildContext): Promise<AuditPackageManifest> {
    const { zip, caller } = ctx;
    const state = new PackageState(ctx.version);
    const shown: { seq: number; at: string; actor: string; action: string; entity: string }[] = [];
    let count = 0;

    // 0. The latest signed checkpoints of the chain, before the events (see addPackageCheckpoints).
    const checkpoints = await addPackageCheckpoints(this.db.kysely, zip, ctx.head);

    // 1. The model's events, streamed, while the state of each entity is replayed from them.
    const source = this.modelEvents(ctx.model.id, ctx.head?.seq ?? 0, ctx.asOf);
    const lines = async function* () {
      let chunk: string[] = [];
      for await (const e of source) {
        if (!state.push(e)) continue;
        count++;
        if (shown.length < HTML_EVENT_ROWS)
          shown.push({
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            entity: `${e.entity_type}:${e.entity_id}`,
          });
        const row: Record<string, unknown> = {};
        for (const c of AUDIT_ROW_COLUMNS) row[c] = e[c];
        chunk.push(JSON.stringify(row));
        if (chunk.length >= 500) {
          yield Buffer.from(`${chunk.join('\n')}\n`);
          chunk = [];
        }
      }
      if (chunk.length) yield Buffer.from(`${chunk.join('\n')}\n`);
    };
    await zip.addStream(PACKAGE_PATHS.events, Readable.from(lines(), { objectMode: false }), true);

    // 2. Records: each entity's last snapshot, with the event it came from.
    const withSource = (e: { state: Record<string, unknown>; source: unknown }) => ({
      ...e.state,
      auditEvent: e.source,
    });
    const modelState = state.ofType('model')[0]?.state ?? null;
    const versions = state.ofType('version');
    const evidence = state.ofType('evidence').map((e) => {
      const file = e.state.file as { sha256: string; size: number; filename: string | null } | null;
      const path = file
        ? `evidence/${fileSafe(String(e.state.versionLabel))}/${fileSafe(e.entityId)}-${fileSafe(file.filename ?? file.sha256)}`
        : null;
      return { ...e, path, file };
    });
    const reviews = [];
    for (const r of state.ofType('review')) {
      const checklist = ctx.asOf === null ? await this.deps.reviews.checklist(caller, r.entityId) : null;
      reviews.push({ ...r, checklist: checklist as Record<string, unknown> | null });
    }
    const findings = state.ofType('finding');
    const decisions = state.decisions();
    const acceptances = state.ofType('acceptance');
    const tiering = [...state.ofType('tiering'), ...state.ofType('tier_override')];
    const deployments = state.ofType('deployment');

    zip.addBytes('records/model.json', json(modelState));
    zip.addBytes('records/versions.json', json(versions.map(withSource)));
    zip.addBytes(
      'records/evidence.json',
      json(evidence.map((e) => ({ ...withSource(e), packagePath: e.path }))),
    );
    zip.addBytes(
      'records/reviews.json',
      json(reviews.map((r) => ({ ...withSource(r), checklist: r.checklist }))),
    );
    zip.addBytes('records/findings.json', json(findings.map(withSource)));
    zip.addBytes('records/decisions.json', json(decisions.map(withSource)));
    zip.addBytes('records/risk-acceptances.json', json(acceptances.map(withSource)));
    zip.addBytes('records/tiering.json', json(tiering.map(withSource)));

    // 3. Lineage: versions → datasets (with ancestors) → deployments, as of the package's time.
    const direct = versions.flatMap((v) => [
      ...((v.state.trainingDatasetIds as string[] | undefined) ?? []),
      ...((v.state.evaluationDatasetIds as string[] | undefined) ?? []),
    ]);
    const datasets = await this.datasetsAsOf(direct, ctx);
    zip.addBytes(
      'lineage.json',
      json({
        model: ctx.model,
        versions: versions.map((v) => ({
          label: v.state.label,
          id: v.entityId,
          trainingDatasetIds: v.state.trainingDatasetIds ?? [],
          evaluationDatasetIds: v.state.evaluationDatasetIds ?? [],
          deployments: deployments.filter((d) => d.state.versionId === v.entityId).map((d) => d.state),
        })),
        datasets,
      }),
    );

    // 4. Documentation: each version's card and the datasheets of the datasets it uses.
    const names = new Map(datasets.map((d) => [String(d.id), String(d.name)]));
    const documents = await this.documents(
      ctx,
      versions.map((v) => String(v.state.label)),
      [...new Set(direct)].map((id) => ({ id, name: names.get(id) ?? id })),
    );
    // 4b. Standard exports: SPDX 3.0.1 per version, Croissant 1.0 per dataset (from the same snapshots).
    const standard = this.deps.documents
      ? await addStandardExports({
          zip,
          caller,
          docs: this.deps.documents,
          asOf: ctx.asOf,
          modelKey: ctx.model.key,
          model: modelState,
          versions,
          datasets,
          direct,
          tool: { name: 'assay', version: this.deps.assayVersion },
        })
      : [];
    const annexIv = await addAnnexIv({
      ...{
        zip,
        caller,
        source: this.deps.annexIv ?? null,
        modelKey: ctx.model.key,
        asOf: ctx.asOf,
        fileSafe,
      },
      ...{ euAiActClass: modelState?.euAiActClass, labels: versions.map((v) => String(v.state.label)) },
    });
    standard.push(...annexIv.standard);

    // 5. The readable index, then the evidence files as stored, then the key and the signed manifest.
    const evidencePaths = evidence.filter((e) => e.path).map((e) => e.path!);
    zip.addBytes(
      PACKAGE_PATHS.index,
      renderIndexHtml({
        title: `${ctx.model.name} (${ctx.model.key})`,
        createdAt: ctx.createdAt,
        createdBy: caller.audit.actor,
        version: ctx.version,
        asOf: ctx.asOf,
        keyId: this.deps.signingKey.publicKey.id,
        model: modelState,
        versions,
        evidence: evidence.map((e) => ({ state: e.state, path: e.path })),
        reviews: reviews.map((r) => ({ state: r.state, checklist: r.checklist })),
        findings,
        decisions,
        acceptances,
        tiering,
        documents,
        standard: [...standard, ...annexIv.html],
        eventCount: count,
        events: shown,
        files: [
          ...zip.files.map((f) => f.path),
          PACKAGE_PATHS.index,
          ...evidencePaths,
          PACKAGE_PATHS.publicKey,
        ],
      }),
    );
    for (const e of evidence) {
      if (!e.path || !e.file) continue;
      const written = await zip.addStream(e.path, this.deps.blobs.open(e.file.sha256), false);
      if (written.sha256 !== e.file.sha256 || written.size !== e.file.size)
        throw new Error(
          `evidence ${e.entityId}: the stored blob ${e.file.sha256} no longer matches its address (read ${written.sha256}, ${written.size} bytes); the blob store is damaged`,
        );
    }
    const key = this.deps.signingKey;
    zip.addBytes(PACKAGE_PATHS.publicKey, key.publicKey.publicKeyPem);
    const manifest: AuditPackageManifest = {
      format: AUDIT_PACKAGE_FORMAT,
      createdAt: ctx.createdAt,
      createdBy: caller.audit.actor,
      assayVersion: this.deps.assayVersion,
      model: ctx.model,
      version: ctx.version,
      asOf: ctx.asOf,
      signingKey: { id: key.publicKey.id, algorithm: 'Ed25519', file: PACKAGE_PATHS.publicKey },
      audit: { events: PACKAGE_PATHS.events, count, chainHead: ctx.head, checkpoints },
      files: zip.files,
      standard: standard.map(({ path, format, subject }) => ({ path, format, subject })),
    };
    const manifestBytes = Buffer.from(json(manifest), 'utf8');
    zip.finish([
      { path: PACKAGE_PATHS.manifest, data: manifestBytes },
      {
        path: PACKAGE_PATHS.signature,
        data: Buffer.from(
          json({
            algorithm: 'Ed25519',
            keyId: key.publicKey.id,
            manifestSha256: createHash('sha256').update(manifestBytes).digest('hex'),
            signature: key.sign(manifestBytes).toString('base64'),
          }),
        ),
      },
    ]);
    return manifest;
  }

  /** Cards and datasheets as HTML and JSON (the revision current at the package's time). */
  private async documents(
    ctx: BuildContext,
    labels: readonly string[],
    datasets: readonly { id: string; name: string }[],
  ): Promise<{ label: string; html: string; json: string }[]> {
    const docs = this.deps.documents;
    // Hook: without a documentation service the package carries no documents.
    if (!docs) return [];
    const out: { label: string; html: string; json: string }[] = [];
    const add = async (
      label: string,
      base: string,
      exportAs: (format: 'html' | 'json') => Promise<{ body: string | Buffer }>,
    ) => {
      const html = `documentation/${base}.html`;
      const jsonPath = `documentation/${base}.json`;
      ctx.zip.addBytes(html, (await exportAs('html')).body);
      ctx.zip.addBytes(jsonPath, (await exportAs('json')).body);
      out.push({ label, html, json: jsonPath });
    };
    for (const label of labels) {
      const revisions = await ignoreMissing(() => docs.cardRevisions(ctx.caller, ctx.model.key, label));
      const revision = revisionAsOf(revisions ?? [], ctx.asOf);
      if (revision === null) continue;
      await add(`Model card ${label} (revision ${revision})`, `model-card-${fileSafe(label)}`, (format) =>
        docs.exportCard(ctx.caller, ctx.model.key, label, format, { revision }),
      );
    }
    for (const { id, name } of datasets) {
      const revisions = await ignoreMissing(() => docs.datasheetRevisions(ctx.caller, id));
      const revision = revisionAsOf(revisions ?? [], ctx.asOf);
      if (revision === null) continue;
      await add(`Datasheet ${name} (revision ${revision})`, `datasheet-${fileSafe(name)}`, (format) =>
        docs.exportDatasheet(ctx.caller, id, format, { revision }),
      );
    }
    return out;
  }
}

async function ignoreMissing<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}

interface BuildContext {
  caller: Caller;
  model: { id: string; key: string; name: string };
  version: string | null;
  asOf: string | null;
  createdAt: string;
  head: { seq: number; hash: string } | null;
  zip: PackageZip;
}

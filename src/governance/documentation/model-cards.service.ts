import type { Kysely } from 'kysely';
import {
  type Completeness,
  type DocumentExportFormat,
  type DocumentRevision,
  type EvidenceRef,
  type ModelCard,
  type ModelCardContent,
  type ModelCardDraft,
  type ModelCardSave,
  modelCardContentSchema,
} from '../../contracts/documentation.ts';
import { explainEvidenceSchema } from '../../contracts/explain.ts';
import { validationEvidenceSchema } from '../../contracts/validation-evidence.ts';
import { appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import type { BlobStore } from '../../platform/blob-store.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ModelsTable, ModelVersionsTable } from '../../platform/db/tables/inventory.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { EvidenceService } from '../evidence/evidence.service.ts';
import { genaiCardParagraphs } from '../genai/genai.queries.ts';
import type { DatasetsService } from '../inventory/datasets.service.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { VersionsService } from '../inventory/versions.service.ts';
import type { PolicyService } from '../policy/policy.service.ts';
import { cardCompletenessOf } from './document-standing.ts';
import {
  cardRow,
  datasetRowsById,
  describeRevision,
  openConditionsOfVersion,
  openFindingsOfVersion,
  type RevisionSelector,
  usernameOf,
  versionDatasetUses,
  versionRowsOfModel,
} from './documentation.queries.ts';
import { cardRevisionRows, cardView, contentDigest, insertCardRevision } from './documentation.store.ts';
import { type CardDraftFacts, draftCard } from './documentation-draft.ts';
import { type DocumentExport, fileSafe, renderExport } from './documentation-export.ts';
import { cardToHtml, cardToMarkdown } from './documentation-render.ts';

/** The largest evidence file a draft reads (bigger files are cited, not parsed). */
const MAX_EVIDENCE_JSON = 64 * 1024 * 1024;

/** What the model-card use cases need. */
export interface ModelCardsDeps {
  policy: PolicyService;
  models: ModelsService;
  versions: VersionsService;
  datasets: DatasetsService;
  evidence: EvidenceService;
  blobs: BlobStore;
}

/** Model cards (one per model version): revisions, drafts from the inventory, completeness, exports. */
export class ModelCardsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deps: ModelCardsDeps,
  ) {}

  /** One revision of a version's card (latest by default). */
  async getCard(caller: Caller, key: string, label: string, sel: RevisionSelector = {}): Promise<ModelCard> {
    const { version } = await this.versionFor(caller.principal, key, label, 'card.read');
    const row = await cardRow(this.db.kysely, version.id, sel);
    if (!row) throw new NotFoundError('model card', `${key}@${label}${describeRevision(sel)}`);
    return cardView(row);
  }

  /** Every revision of a version's card, newest first. */
  async cardRevisions(caller: Caller, key: string, label: string): Promise<DocumentRevision[]> {
    const { version } = await this.versionFor(caller.principal, key, label, 'card.read');
    return cardRevisionRows(this.db.kysely, version.id);
  }

  /** Saves a new revision (draft, or published with `publish`). Audited. */
  async saveCard(caller: Caller, key: string, label: string, input: ModelCardSave): Promise<ModelCard> {
    const content = modelCardContentSchema.parse(input.content);
    return this.db.write(async (tx) => {
      const { model, version } = await this.versionFor(caller.principal, key, label, 'card.write', tx);
      const latest = await cardRow(tx, version.id);
      if (input.baseRevision !== undefined && (latest?.revision ?? 0) !== input.baseRevision)
        throw new ConflictError(
          `the card of ${key}@${label} is at revision ${latest?.revision ?? 0}, not ${input.baseRevision}; reload and retry`,
          { revision: latest?.revision ?? 0 },
        );
      const status = input.publish ? 'published' : 'draft';
      return this.insertCard(tx, caller, model, version, content, status, input.note);
    });
  }

  /** Publishes a revision (the latest by default) as a new published revision. Audited. */
  async publishCard(
    caller: Caller,
    key: string,
    label: string,
    input: { revision?: number | undefined; note?: string | undefined },
  ): Promise<ModelCard> {
    return this.db.write(async (tx) => {
      const { model, version } = await this.versionFor(caller.principal, key, label, 'card.write', tx);
      const latest = await cardRow(tx, version.id);
      const source =
        input.revision === undefined ? latest : await cardRow(tx, version.id, { revision: input.revision });
      if (!source)
        throw new NotFoundError(
          'model card',
          `${key}@${label}${describeRevision({ revision: input.revision })}`,
        );
      if (input.revision === undefined && source.status === 'published') return cardView(source);
      const content = JSON.parse(source.content_json) as ModelCardContent;
      const note = input.note ?? `published revision ${source.revision}`;
      return this.insertCard(tx, caller, model, version, content, 'published', note);
    });
  }

  /** Completeness of a card revision (latest by default) against the rules of the model's tier. */
  async cardCompleteness(
    caller: Caller,
    key: string,
    label: string,
    sel: RevisionSelector = {},
  ): Promise<Completeness> {
    const { model, version } = await this.versionFor(caller.principal, key, label, 'card.read');
    const row = await cardRow(this.db.kysely, version.id, sel);
    if (sel.revision !== undefined && !row)
      throw new NotFoundError('model card', `${key}@${label}${describeRevision(sel)}`);
    return cardCompletenessOf(this.db.kysely, this.standingDeps(), model, version.id, row ?? null);
  }

  /** Generates a draft from the inventory, lineage, validation evidence, findings and conditions. */
  async draftCard(caller: Caller, key: string, label: string, save: boolean): Promise<ModelCardDraft> {
    const action = save ? 'card.write' : 'card.read';
    const { model, version } = await this.versionFor(caller.principal, key, label, action);
    const facts = await this.cardFacts(model, version);
    const { content, sources } = draftCard(facts);
    if (!save) return { content, sources, saved: null };
    const saved = await this.db.write(async (tx) => {
      const again = await this.versionFor(caller.principal, key, label, 'card.write', tx);
      return this.insertCard(tx, caller, again.model, again.version, content, 'draft', 'generated draft');
    });
    return { content, sources, saved };
  }

  /** A card revision as Markdown, self-contained HTML, PDF or JSON. */
  async exportCard(
    caller: Caller,
    key: string,
    label: string,
    format: DocumentExportFormat,
    sel: RevisionSelector = {},
  ): Promise<DocumentExport> {
    const card = await this.getCard(caller, key, label, sel);
    const completeness = await this.cardCompleteness(caller, key, label, { revision: card.revision });
    const base = `model-card-${fileSafe(key)}-${fileSafe(label)}-r${card.revision}`;
    return renderExport(format, base, card, completeness, cardToMarkdown, cardToHtml);
  }

  private standingDeps() {
    return { clock: this.clock, policy: this.deps.policy };
  }

  private async insertCard(
    tx: Kysely<Database>,
    caller: Caller,
    model: ModelsTable,
    version: ModelVersionsTable,
    content: ModelCardContent,
    status: 'draft' | 'published',
    note: string | undefined,
  ): Promise<ModelCard> {
    const { json, sha256 } = contentDigest(content);
    const row = await insertCardRevision(tx, {
      id: newId(),
      model_id: model.id,
      version_id: version.id,
      status,
      note: note ?? null,
      content_json: json,
      sha256,
      created_by: caller.audit.actor,
      created_at: this.clock.now().toISOString(),
    });
    const view = cardView({
      ...row,
      model_key: model.key,
      model_name: model.name,
      version_label: version.label,
    });
    await appendAuditEvent(tx, this.clock, caller.audit, {
      action: status === 'published' ? 'model_card.published' : 'model_card.saved',
      entityType: 'model_card',
      entityId: row.id,
      modelId: model.id,
      after: view,
    });
    return view;
  }

  /** What a draft card is written from: the inventory, the version's data, evidence, findings, conditions. */
  private async cardFacts(model: ModelsTable, version: ModelVersionsTable): Promise<CardDraftFacts> {
    const tx = this.db.kysely;
    const owner = model.owner_id ? await usernameOf(tx, model.owner_id) : null;
    const versions = await versionRowsOfModel(tx, model.id);
    const idx = versions.findIndex((v) => v.id === version.id);
    const previous = idx > 0 ? versions[idx - 1]! : null;
    const links = await versionDatasetUses(tx, version.id);
    const rows = await datasetRowsById(
      tx,
      links.map((l) => l.dataset_id),
      true,
    );
    const views = await this.deps.datasets.views(rows);
    const used = (usage: string) =>
      views.filter((d) => links.some((l) => l.dataset_id === d.id && l.usage === usage));

    const currentAll = await this.deps.evidence.currentForVersion(version.id);
    const current = currentAll.filter((e) => e.type === 'validation_report');
    const refs: EvidenceRef[] = current.map((e) => ({ evidenceId: e.id, sha256: e.file?.sha256 ?? null }));
    let validation: CardDraftFacts['validation'] = null;
    for (const e of current) {
      if (!e.file || e.file.size > MAX_EVIDENCE_JSON) continue;
      const parsed = validationEvidenceSchema.safeParse(await this.readJson(e.file.sha256));
      if (parsed.success) {
        validation = { ref: { evidenceId: e.id, sha256: e.file.sha256 }, document: parsed.data };
        break;
      }
    }
    // the newest assay.explain/v1 document among the version's test results (issue 17)
    let explanation: CardDraftFacts['explanation'] = null;
    for (const e of currentAll.filter((x) => x.type === 'test_results')) {
      if (!e.file || e.file.size > MAX_EVIDENCE_JSON) continue;
      const parsed = explainEvidenceSchema.safeParse(await this.readJson(e.file.sha256));
      if (parsed.success) {
        explanation = { ref: { evidenceId: e.id, sha256: e.file.sha256 }, document: parsed.data };
        break;
      }
    }
    const findings = await openFindingsOfVersion(tx, version.id);
    const conditions = await openConditionsOfVersion(tx, version.id);
    const prevCardRow = previous
      ? ((await cardRow(tx, previous.id, { publishedOnly: true })) ?? (await cardRow(tx, previous.id)))
      : undefined;
    return {
      model: {
        key: model.key,
        name: model.name,
        description: model.description,
        purpose: model.purpose,
        intendedUse: model.intended_use,
        intendedUsers: model.intended_users,
        outOfScopeUses: model.out_of_scope_uses,
        type: model.type,
        vendor: model.vendor === 1,
        vendorName: model.vendor_name,
        genai: model.genai === 1,
        decisionImpact: model.decision_impact,
        tier: model.tier === null ? null : Number(model.tier),
        owner,
      },
      version: {
        label: version.label,
        artifactUri: version.artifact_uri,
        artifactSha256: version.artifact_sha256,
        codeRepo: version.code_repo,
        codeCommit: version.code_commit,
        changeSummary: version.change_summary,
      },
      previousVersion: previous ? { label: previous.label, changeSummary: previous.change_summary } : null,
      training: used('training'),
      evaluation: used('evaluation'),
      validationEvidence: refs,
      validation,
      explanation,
      genaiSystem: await genaiCardParagraphs(tx, version.id),
      openFindings: findings,
      openConditions: conditions.map((c) => ({ id: c.id, text: c.text, owner: c.owner, dueAt: c.due_at })),
      previousCard: prevCardRow ? modelCardContentSchema.parse(JSON.parse(prevCardRow.content_json)) : null,
    };
  }

  /** The stored file as JSON, or null when it is not a JSON document of at most MAX_EVIDENCE_JSON. */
  private async readJson(sha256: string): Promise<unknown> {
    if (!(await this.deps.blobs.has(sha256))) return null;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.deps.blobs.open(sha256)) {
      const b = chunk as Buffer;
      size += b.length;
      if (size > MAX_EVIDENCE_JSON) return null;
      // A JSON document starts with '{'; anything else (HTML report, PDF) is skipped early.
      if (chunks.length === 0 && b.toString('utf8', 0, Math.min(b.length, 64)).trimStart()[0] !== '{')
        return null;
      chunks.push(b);
    }
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return null;
    }
  }

  private async versionFor(
    principal: Principal,
    key: string,
    label: string,
    action: 'card.read' | 'card.write',
    tx: Kysely<Database> = this.db.kysely,
  ): Promise<{ model: ModelsTable; version: ModelVersionsTable }> {
    const model = await this.deps.models.authorize(principal, key, action, tx);
    const version = await this.deps.versions.find(model, label, tx);
    return { model, version };
  }
}

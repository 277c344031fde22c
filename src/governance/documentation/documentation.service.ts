import type { Kysely } from 'kysely';
import {
  type Completeness,
  type Datasheet,
  type DatasheetDraft,
  type DatasheetSave,
  type DocumentExportFormat,
  type DocumentRevision,
  datasheetContentSchema,
  type EvidenceRef,
  type ModelCard,
  type ModelCardContent,
  type ModelCardDraft,
  type ModelCardSave,
  modelCardContentSchema,
} from '../../contracts/documentation.ts';
import { explainEvidenceSchema } from '../../contracts/explain.ts';
import type { DocumentationTier } from '../../contracts/policy.ts';
import { type ValidationEvidence, validationEvidenceSchema } from '../../contracts/validation-evidence.ts';
import { appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { decide } from '../../platform/auth/permissions.ts';
import { aRole, type Principal } from '../../platform/auth/roles.ts';
import type { BlobStore } from '../../platform/blob-store.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ModelsTable, ModelVersionsTable } from '../../platform/db/tables/inventory.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { EvidenceService } from '../evidence/evidence.service.ts';
import { genaiCardParagraphs } from '../genai/genai.queries.ts';
import type { DatasetsService } from '../inventory/datasets.service.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { VersionsService } from '../inventory/versions.service.ts';
import type { PolicyService } from '../policy/policy.service.ts';
import type { ChecklistDocuments, DocumentStanding } from '../reviews/review-rules.ts';
import {
  type CardRow,
  cardRow,
  datasheetRow,
  publishedDatasheetRows,
  type RevisionSelector,
} from './documentation.queries.ts';
import {
  cardRevisionRows,
  cardView,
  contentDigest,
  datasheetRevisionRows,
  datasheetView,
  insertCardRevision,
  insertDatasheetRevision,
} from './documentation.store.ts';
import { type CardDraftFacts, draftCard, draftDatasheet } from './documentation-draft.ts';
import { cardToHtml, cardToMarkdown, datasheetToHtml, datasheetToMarkdown } from './documentation-render.ts';
import {
  type CompletenessCore,
  cardCompleteness,
  datasheetCompleteness,
  documentationRulesFor,
  missingDocument,
  type VersionEvidenceFact,
} from './documentation-rules.ts';
import { htmlToPdf } from './pdf.ts';

/** An export ready to send. */
export interface DocumentExport {
  body: string | Buffer;
  contentType: string;
  filename: string;
}

/** The largest validation evidence file a draft reads (bigger files are cited, not parsed). */
const MAX_EVIDENCE_JSON = 64 * 1024 * 1024;

function fileSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
}

/**
 * Model cards (per model version) and datasheets (per inventory dataset): revisions, drafts,
 * completeness against the policy, exports, and the standing the review checklist counts.
 */
export class DocumentationService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deps: {
      policy: PolicyService;
      models: ModelsService;
      versions: VersionsService;
      datasets: DatasetsService;
      evidence: EvidenceService;
      blobs: BlobStore;
    },
  ) {}

  // ---- model cards -------------------------------------------------------------------------

  /** One revision of a version's card (latest by default). */
  async getCard(caller: Caller, key: string, label: string, sel: RevisionSelector = {}): Promise<ModelCard> {
    const { version } = await this.versionFor(caller.principal, key, label, 'card.read');
    const row = await cardRow(this.db.kysely, version.id, sel);
    if (!row) throw new NotFoundError('model card', `${key}@${label}${describe(sel)}`);
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
      return this.insertCard(
        tx,
        caller,
        model,
        version,
        content,
        input.publish ? 'published' : 'draft',
        input.note,
      );
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
        throw new NotFoundError('model card', `${key}@${label}${describe({ revision: input.revision })}`);
      if (input.revision === undefined && source.status === 'published') return cardView(source);
      const content = JSON.parse(source.content_json) as ModelCardContent;
      return this.insertCard(
        tx,
        caller,
        model,
        version,
        content,
        'published',
        input.note ?? `published revision ${source.revision}`,
      );
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
      throw new NotFoundError('model card', `${key}@${label}${describe(sel)}`);
    return this.completenessOf(this.db.kysely, model, version, row ?? null);
  }

  /** Generates a draft from the inventory, lineage, validation evidence, findings and conditions. */
  async draftCard(caller: Caller, key: string, label: string, save: boolean): Promise<ModelCardDraft> {
    const { model, version } = await this.versionFor(
      caller.principal,
      key,
      label,
      save ? 'card.write' : 'card.read',
    );
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
    return render(format, base, card, completeness, cardToMarkdown, cardToHtml);
  }

  // ---- datasheets --------------------------------------------------------------------------

  async getDatasheet(caller: Caller, idOrName: string, sel: RevisionSelector = {}): Promise<Datasheet> {
    this.allow(caller.principal, 'dataset.read');
    const dataset = await this.deps.datasets.find(idOrName);
    const row = await datasheetRow(this.db.kysely, dataset.id, sel);
    if (!row) throw new NotFoundError('datasheet', `${dataset.name}${describe(sel)}`);
    return datasheetView(row);
  }

  async datasheetRevisions(caller: Caller, idOrName: string): Promise<DocumentRevision[]> {
    this.allow(caller.principal, 'dataset.read');
    const dataset = await this.deps.datasets.find(idOrName);
    return datasheetRevisionRows(this.db.kysely, dataset.id);
  }

  /** Saves a new datasheet revision; the dataset's owner or governance may. Audited. */
  async saveDatasheet(caller: Caller, idOrName: string, input: DatasheetSave): Promise<Datasheet> {
    const content = datasheetContentSchema.parse(input.content);
    return this.db.write(async (tx) => {
      const dataset = await this.writableDataset(caller.principal, idOrName, tx);
      const latest = await datasheetRow(tx, dataset.id);
      if (input.baseRevision !== undefined && (latest?.revision ?? 0) !== input.baseRevision)
        throw new ConflictError(
          `the datasheet of '${dataset.name}' is at revision ${latest?.revision ?? 0}, not ${input.baseRevision}; reload and retry`,
          { revision: latest?.revision ?? 0 },
        );
      return this.insertDatasheet(
        tx,
        caller,
        dataset,
        content,
        input.publish ? 'published' : 'draft',
        input.note,
      );
    });
  }

  async publishDatasheet(
    caller: Caller,
    idOrName: string,
    input: { revision?: number | undefined; note?: string | undefined },
  ): Promise<Datasheet> {
    return this.db.write(async (tx) => {
      const dataset = await this.writableDataset(caller.principal, idOrName, tx);
      const source = await datasheetRow(tx, dataset.id, { revision: input.revision });
      if (!source)
        throw new NotFoundError('datasheet', `${dataset.name}${describe({ revision: input.revision })}`);
      if (input.revision === undefined && source.status === 'published') return datasheetView(source);
      return this.insertDatasheet(
        tx,
        caller,
        dataset,
        JSON.parse(source.content_json),
        'published',
        input.note ?? `published revision ${source.revision}`,
      );
    });
  }

  /**
   * Completeness of a datasheet against the strictest tier of the models whose versions use the
   * dataset (Tier 1 rules when no tiered model uses it).
   */
  async datasheetCompleteness(
    caller: Caller,
    idOrName: string,
    sel: RevisionSelector = {},
  ): Promise<Completeness> {
    this.allow(caller.principal, 'dataset.read');
    const dataset = await this.deps.datasets.find(idOrName);
    const row = await datasheetRow(this.db.kysely, dataset.id, sel);
    if (sel.revision !== undefined && !row)
      throw new NotFoundError('datasheet', `${dataset.name}${describe(sel)}`);
    const policy = await this.deps.policy.active();
    const tier = await this.strictestTierUsing(dataset.id);
    const rules = documentationRulesFor(policy.document, tier);
    const core = row
      ? datasheetCompleteness(datasheetContentSchema.parse(JSON.parse(row.content_json)), rules)
      : missingDocument('datasheet', [...rules.datasheetSections]);
    return this.completenessView(core, tier, policy.version, row ?? null);
  }

  async draftDatasheet(caller: Caller, idOrName: string, save: boolean): Promise<DatasheetDraft> {
    this.allow(caller.principal, 'dataset.read');
    const row = await this.deps.datasets.find(idOrName);
    const [dataset] = await this.deps.datasets.views([row]);
    const parentIds = dataset!.derivedFrom;
    const parents = parentIds.length
      ? await this.deps.datasets.views(
          await this.db.kysely.selectFrom('datasets').selectAll().where('id', 'in', parentIds).execute(),
        )
      : [];
    const uses = await this.db.kysely
      .selectFrom('version_datasets as vd')
      .innerJoin('model_versions as v', 'v.id', 'vd.version_id')
      .innerJoin('models as m', 'm.id', 'v.model_id')
      .select(['m.key', 'm.id as model_id', 'v.label', 'vd.usage'])
      .where('vd.dataset_id', '=', row.id)
      .orderBy('m.key')
      .orderBy('v.label')
      .execute();
    const visible = [];
    for (const u of uses)
      if (await this.canSee(caller.principal, u.key))
        visible.push({ modelKey: u.key, version: u.label, usage: u.usage });
    const { content, sources } = draftDatasheet(dataset!, parents, visible);
    if (!save) return { content, sources, saved: null };
    const saved = await this.db.write(async (tx) => {
      const ds = await this.writableDataset(caller.principal, idOrName, tx);
      return this.insertDatasheet(tx, caller, ds, content, 'draft', 'generated draft');
    });
    return { content, sources, saved };
  }

  async exportDatasheet(
    caller: Caller,
    idOrName: string,
    format: DocumentExportFormat,
    sel: RevisionSelector = {},
  ): Promise<DocumentExport> {
    const sheet = await this.getDatasheet(caller, idOrName, sel);
    const completeness = await this.datasheetCompleteness(caller, idOrName, { revision: sheet.revision });
    const base = `datasheet-${fileSafe(sheet.datasetName)}-r${sheet.revision}`;
    return render(format, base, sheet, completeness, datasheetToMarkdown, datasheetToHtml);
  }

  // ---- the checklist -----------------------------------------------------------------------

  /**
   * How the version's published card and its datasets' published datasheets stand for the tier:
   * what the review checklist counts for `model_card` and `data_sheet`. Reads inside `tx`.
   */
  async standing(tx: Kysely<Database>, versionId: string, tier: number | null): Promise<ChecklistDocuments> {
    const policy = await this.deps.policy.active(tx);
    const rules = documentationRulesFor(policy.document, tier);
    const version = await tx
      .selectFrom('model_versions')
      .selectAll()
      .where('id', '=', versionId)
      .executeTakeFirst();
    if (!version) return {};
    const published = await cardRow(tx, versionId, { publishedOnly: true });
    let card: DocumentStanding;
    if (published) {
      const core = await this.cardCore(tx, version, published, rules);
      card = core.passes
        ? { passing: [published.id], gaps: [], uploadsCount: rules.uploadedDocumentsCount }
        : {
            passing: [],
            gaps: core.gaps.map(
              (g) => `model card revision ${published.revision}: ${g.section}: ${g.message}`,
            ),
            uploadsCount: rules.uploadedDocumentsCount,
          };
    } else {
      const draft = await cardRow(tx, versionId);
      card = {
        passing: [],
        gaps: [
          draft
            ? `model card revision ${draft.revision} is a draft; publish it`
            : 'the version has no model card',
        ],
        uploadsCount: rules.uploadedDocumentsCount,
      };
    }

    const links = await tx
      .selectFrom('version_datasets')
      .innerJoin('datasets', 'datasets.id', 'version_datasets.dataset_id')
      .select(['datasets.id', 'datasets.name'])
      .where('version_datasets.version_id', '=', versionId)
      .where('version_datasets.usage', 'in', ['training', 'evaluation'])
      .orderBy('datasets.name')
      .execute();
    const datasets = [...new Map(links.map((l) => [l.id, l])).values()];
    const sheets = await publishedDatasheetRows(
      tx,
      datasets.map((d) => d.id),
    );
    const passing: string[] = [];
    const gaps: string[] = [];
    for (const d of datasets) {
      const sheet = sheets.get(d.id);
      if (!sheet) {
        gaps.push(`dataset '${d.name}' has no published datasheet`);
        continue;
      }
      const core = datasheetCompleteness(datasheetContentSchema.parse(JSON.parse(sheet.content_json)), rules);
      if (core.passes) passing.push(sheet.id);
      else gaps.push(...core.gaps.map((g) => `datasheet of '${d.name}': ${g.section}: ${g.message}`));
    }
    if (datasets.length === 0) gaps.push('the version names no training or evaluation datasets');
    const dataOk = rules.datasheetsForEveryDataset
      ? datasets.length > 0 && passing.length === datasets.length
      : passing.length > 0;
    return {
      model_card: card,
      data_sheet: {
        passing: dataOk ? passing : [],
        gaps: dataOk ? [] : gaps,
        uploadsCount: rules.uploadedDocumentsCount,
      },
    };
  }

  // ---- internals ---------------------------------------------------------------------------

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

  private async insertDatasheet(
    tx: Kysely<Database>,
    caller: Caller,
    dataset: { id: string; name: string },
    content: unknown,
    status: 'draft' | 'published',
    note: string | undefined,
  ): Promise<Datasheet> {
    const parsed = datasheetContentSchema.parse(content);
    const { json, sha256 } = contentDigest(parsed);
    const row = await insertDatasheetRevision(tx, {
      id: newId(),
      dataset_id: dataset.id,
      status,
      note: note ?? null,
      content_json: json,
      sha256,
      created_by: caller.audit.actor,
      created_at: this.clock.now().toISOString(),
    });
    const view = datasheetView({ ...row, dataset_name: dataset.name });
    await appendAuditEvent(tx, this.clock, caller.audit, {
      action: status === 'published' ? 'datasheet.published' : 'datasheet.saved',
      entityType: 'datasheet',
      entityId: row.id,
      after: view,
    });
    return view;
  }

  private async completenessOf(
    tx: Kysely<Database>,
    model: ModelsTable,
    version: ModelVersionsTable,
    row: CardRow | null,
  ): Promise<Completeness> {
    const policy = await this.deps.policy.active(tx);
    const tier = model.tier === null ? null : Number(model.tier);
    const rules = documentationRulesFor(policy.document, tier);
    const core = row
      ? await this.cardCore(tx, version, row, rules)
      : missingDocument('card', [...rules.cardSections]);
    return this.completenessView(core, tier, policy.version, row);
  }

  private completenessView(
    core: CompletenessCore,
    tier: number | null,
    policyVersion: number,
    row: { revision: number; status: string } | null,
  ): Completeness {
    return {
      ...core,
      tier,
      policyVersion,
      revision: row ? Number(row.revision) : null,
      status: row ? (row.status as 'draft' | 'published') : null,
      evaluatedAt: this.clock.now().toISOString(),
    };
  }

  private async cardCore(
    tx: Kysely<Database>,
    version: ModelVersionsTable,
    row: { content_json: string },
    rules: DocumentationTier,
  ): Promise<CompletenessCore> {
    const content = modelCardContentSchema.parse(JSON.parse(row.content_json));
    const evidence: VersionEvidenceFact[] = (
      await tx
        .selectFrom('evidence')
        .select(['id', 'type', 'blob_sha256', 'created_at', 'superseded_at'])
        .where('version_id', '=', version.id)
        .execute()
    ).map((e) => ({
      id: e.id,
      type: e.type,
      sha256: e.blob_sha256,
      createdAt: e.created_at,
      superseded: e.superseded_at !== null,
    }));
    const refs = [...content.data.training, ...content.data.evaluation];
    const ids = refs.map((r) => r.id).filter((x): x is string => x !== null);
    const names = refs.filter((r) => r.id === null).map((r) => r.name);
    const known =
      ids.length || names.length
        ? await tx
            .selectFrom('datasets')
            .select(['id', 'name'])
            .where((eb) =>
              eb.or([
                ...(ids.length ? [eb('id', 'in', ids)] : []),
                ...(names.length ? [eb('name', 'in', names)] : []),
              ]),
            )
            .execute()
        : [];
    return cardCompleteness(content, rules, {
      evidence,
      datasetIds: new Set(known.map((d) => d.id)),
      datasetNames: new Set(known.map((d) => d.name)),
    });
  }

  private async cardFacts(model: ModelsTable, version: ModelVersionsTable): Promise<CardDraftFacts> {
    const tx = this.db.kysely;
    const owner = model.owner_id
      ? ((await tx.selectFrom('users').select('username').where('id', '=', model.owner_id).executeTakeFirst())
          ?.username ?? null)
      : null;
    const versions = await tx
      .selectFrom('model_versions')
      .selectAll()
      .where('model_id', '=', model.id)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const idx = versions.findIndex((v) => v.id === version.id);
    const previous = idx > 0 ? versions[idx - 1]! : null;
    const links = await tx
      .selectFrom('version_datasets')
      .select(['dataset_id', 'usage'])
      .where('version_id', '=', version.id)
      .execute();
    const rows = links.length
      ? await tx
          .selectFrom('datasets')
          .selectAll()
          .where(
            'id',
            'in',
            links.map((l) => l.dataset_id),
          )
          .orderBy('name')
          .execute()
      : [];
    const views = await this.deps.datasets.views(rows);
    const used = (usage: string) =>
      views.filter((d) => links.some((l) => l.dataset_id === d.id && l.usage === usage));

    const currentAll = await this.deps.evidence.currentForVersion(version.id);
    const current = currentAll.filter((e) => e.type === 'validation_report');
    const refs: EvidenceRef[] = current.map((e) => ({ evidenceId: e.id, sha256: e.file?.sha256 ?? null }));
    let validation: CardDraftFacts['validation'] = null;
    for (const e of current) {
      if (!e.file || e.file.size > MAX_EVIDENCE_JSON) continue;
      const doc = await this.readValidationJson(e.file.sha256);
      if (doc) {
        validation = { ref: { evidenceId: e.id, sha256: e.file.sha256 }, document: doc };
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
    const findings = await tx
      .selectFrom('findings')
      .select(['id', 'title', 'severity', 'category', 'state'])
      .where('version_id', '=', version.id)
      .where('state', 'not in', ['closed', 'risk_accepted'])
      .orderBy('created_at')
      .execute();
    const conditions = await tx
      .selectFrom('decision_conditions')
      .select(['id', 'text', 'owner', 'due_at'])
      .where('version_id', '=', version.id)
      .where('met_at', 'is', null)
      .orderBy('due_at')
      .execute();
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

  /** The stored file as an assay.validation/v1 document, or null when it is not one. */
  private async readValidationJson(sha256: string): Promise<ValidationEvidence | null> {
    const parsed = validationEvidenceSchema.safeParse(await this.readJson(sha256));
    return parsed.success ? parsed.data : null;
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
      // A validation document starts with '{'; anything else (HTML report, PDF) is skipped early.
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

  private async writableDataset(principal: Principal, idOrName: string, tx: Kysely<Database>) {
    this.allow(principal, 'datasheet.write');
    const row = await this.deps.datasets.find(idOrName, tx);
    const steward = principal.role === 'admin' || principal.role === 'governance';
    if (!steward && row.owner_id !== principal.userId)
      throw new ForbiddenError(
        `only the dataset's owner or governance may change the datasheet of '${row.name}'`,
        {
          action: 'datasheet.write',
        },
      );
    return row;
  }

  private async strictestTierUsing(datasetId: string): Promise<number | null> {
    const rows = await this.db.kysely
      .selectFrom('version_datasets as vd')
      .innerJoin('model_versions as v', 'v.id', 'vd.version_id')
      .innerJoin('models as m', 'm.id', 'v.model_id')
      .select('m.tier')
      .where('vd.dataset_id', '=', datasetId)
      .execute();
    const tiers = rows
      .map((r) => r.tier)
      .filter((t): t is number => t !== null)
      .map(Number);
    return tiers.length ? Math.min(...tiers) : null;
  }

  private async canSee(principal: Principal, key: string): Promise<boolean> {
    return this.deps.models.authorize(principal, key, 'model.read').then(
      () => true,
      () => false,
    );
  }

  private allow(principal: Principal, action: 'dataset.read' | 'datasheet.write'): void {
    if (decide(principal, action) !== 'allow')
      throw new ForbiddenError(`${aRole(principal.role)} may not ${action.replace('.', ' ')}`, { action });
  }
}

function describe(sel: RevisionSelector): string {
  if (sel.revision !== undefined) return ` revision ${sel.revision}`;
  return sel.publishedOnly ? ' (published)' : '';
}

async function render<T>(
  format: DocumentExportFormat,
  base: string,
  doc: T,
  completeness: Completeness,
  md: (d: T, c: Completeness) => string,
  html: (d: T, c: Completeness) => string,
): Promise<DocumentExport> {
  switch (format) {
    case 'md':
      return {
        body: md(doc, completeness),
        contentType: 'text/markdown; charset=utf-8',
        filename: `${base}.md`,
      };
    case 'html':
      return {
        body: html(doc, completeness),
        contentType: 'text/html; charset=utf-8',
        filename: `${base}.html`,
      };
    case 'pdf':
      return {
        body: await htmlToPdf(html(doc, completeness)),
        contentType: 'application/pdf',
        filename: `${base}.pdf`,
      };
    case 'json':
      return {
        body: `${JSON.stringify({ document: doc, completeness }, null, 2)}\n`,
        contentType: 'application/json; charset=utf-8',
        filename: `${base}.json`,
      };
  }
}

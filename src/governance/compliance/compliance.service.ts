import type { Kysely } from 'kysely';
import type {
  CatalogFile,
  CatalogSummary,
  CrosswalkAnswer,
  ModelCompliance,
  NotApplicable,
  PortfolioAnswer,
  PortfolioQuery,
} from '../../contracts/compliance.ts';
import type { PolicyDocument } from '../../contracts/policy.ts';
import { appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ModelsTable, ModelVersionsTable } from '../../platform/db/tables/inventory.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { DecisionsService } from '../decisions/decisions.service.ts';
import type { DocumentationService } from '../documentation/documentation.service.ts';
import type { EvidenceService } from '../evidence/evidence.service.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { PolicyService } from '../policy/policy.service.ts';
import type { ReviewScheduleService } from '../reviews/review-schedule.service.ts';
import { type Catalogs, shippedCatalogs } from './catalogs.ts';
import { allModels, versionOf } from './compliance.queries.ts';
import {
  activeNotApplicable,
  insertNotApplicable,
  notApplicableById,
  notApplicableView,
  withdrawNotApplicable,
} from './compliance.store.ts';
import { readVersionFacts } from './compliance-facts.ts';
import { catalogStatus, type VersionFacts } from './compliance-rules.ts';
import { RequirementGraph } from './crosswalk.ts';

export interface ComplianceDeps {
  policy: PolicyService;
  models: ModelsService;
  evidence: EvidenceService;
  documentation: DocumentationService;
  decisions: DecisionsService;
  reviewSchedule: ReviewScheduleService;
}

/** Catalogs, crosswalks, computed compliance status per model and for the portfolio. */
export class ComplianceService {
  readonly graph: RequirementGraph;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deps: ComplianceDeps,
    readonly catalogs: Catalogs = shippedCatalogs(),
  ) {
    this.graph = new RequirementGraph(catalogs);
  }

  listCatalogs(): CatalogSummary[] {
    return this.catalogs.summaries();
  }

  catalog(id: string): CatalogFile {
    const c = this.catalogs.catalog(id);
    if (!c) throw new NotFoundError('catalog', id);
    return c;
  }

  crosswalk(ref: string, depth = 2): CrosswalkAnswer {
    return this.graph.related(ref, depth);
  }

  /** A model version's status per catalog (the latest version unless one is named). */
  async status(
    caller: Caller,
    key: string,
    q: { version?: string; catalog?: string } = {},
  ): Promise<ModelCompliance> {
    const model = await this.deps.models.authorize(caller.principal, key, 'model.read');
    if (q.catalog) this.catalog(q.catalog);
    const tx = this.db.kysely;
    const version = await versionOf(tx, model.id, q.version);
    if (!version) throw new NotFoundError('version', `${key}@${q.version ?? '(latest)'}`);
    return this.statusIn(tx, model, version, q.catalog);
  }

  async statusIn(
    tx: Kysely<Database>,
    model: ModelsTable,
    version: ModelVersionsTable,
    catalog?: string,
  ): Promise<ModelCompliance> {
    const policy = await this.deps.policy.active(tx);
    const facts = await this.factsIn(tx, model, version, policy.document);
    const section = policy.document.compliance;
    const controlRef = (id: string) =>
      this.catalogs.find(`assay-controls:${id}`)?.requirement.reference ?? `unknown control '${id}'`;
    return {
      modelKey: model.key,
      versionLabel: version.label,
      tier: model.tier === null ? null : Number(model.tier),
      euAiActClass: model.eu_ai_act_class ?? null,
      policyVersion: policy.version,
      computedAt: this.clock.now().toISOString(),
      catalogs: this.catalogs.catalogs
        .filter((c) => !catalog || c.id === catalog)
        .map((c) => catalogStatus(c, section, section?.catalogs ?? [], facts, controlRef)),
    };
  }

  /** Every visible model's latest version against the filters (e.g. high-risk systems not meeting Art. 14). */
  async portfolio(caller: Caller, q: PortfolioQuery): Promise<PortfolioAnswer> {
    if (q.catalog) this.catalog(q.catalog);
    const tx = this.db.kysely;
    const rows: PortfolioAnswer['rows'] = [];
    const coverage = new Map<string, PortfolioAnswer['coverage'][number]>();
    for (const m of await allModels(tx)) {
      if (q.tier !== undefined && Number(m.tier) !== q.tier) continue;
      if (q.euAiActClass && m.eu_ai_act_class !== q.euAiActClass) continue;
      const model = await this.deps.models.authorize(caller.principal, m.key, 'model.read').catch(() => null);
      if (!model) continue;
      const version = await versionOf(tx, model.id, undefined);
      if (!version) continue;
      const status = await this.statusIn(tx, model, version, q.catalog);
      for (const c of status.catalogs) {
        const cov = coverage.get(c.catalog) ?? {
          catalog: c.catalog,
          met: 0,
          partlyMet: 0,
          notMet: 0,
          notApplicable: 0,
        };
        cov.met += c.counts.met ?? 0;
        cov.partlyMet += c.counts.partly_met ?? 0;
        cov.notMet += c.counts.not_met ?? 0;
        cov.notApplicable += c.counts.not_applicable ?? 0;
        coverage.set(c.catalog, cov);
        for (const r of c.requirements) {
          if (q.coverageOnly === 'true') break;
          if (q.requirement && r.requirement !== q.requirement) continue;
          if (q.state && r.state !== q.state) continue;
          if (q.open === 'true' && r.state !== 'not_met' && r.state !== 'partly_met') continue;
          rows.push({
            modelKey: model.key,
            modelName: model.name,
            versionLabel: version.label,
            tier: status.tier,
            euAiActClass: status.euAiActClass,
            catalog: c.catalog,
            requirement: r.requirement,
            title: r.title,
            state: r.state,
            gaps: r.gaps,
          });
        }
      }
    }
    return { rows, coverage: [...coverage.values()] };
  }

  async recordNotApplicable(
    caller: Caller,
    key: string,
    input: { catalog: string; requirement: string; reason: string },
  ): Promise<NotApplicable> {
    const model = await this.deps.models.authorize(caller.principal, key, 'compliance.not_applicable');
    if (!this.catalogs.find(`${input.catalog}:${input.requirement}`))
      throw new ValidationError(
        `'${input.catalog}:${input.requirement}' is not a requirement of a catalog`,
        'body.requirement',
      );
    return this.db.write(async (tx) => {
      const existing = (await activeNotApplicable(tx, model.id)).find(
        (n) => n.catalog === input.catalog && n.requirement === input.requirement,
      );
      if (existing)
        throw new ConflictError(
          `${input.catalog}:${input.requirement} is already recorded as not applicable (${existing.id})`,
        );
      const id = newId();
      await insertNotApplicable(tx, {
        id,
        model_id: model.id,
        catalog: input.catalog,
        requirement: input.requirement,
        reason: input.reason,
        recorded_by: caller.audit.actor,
        recorded_at: this.clock.now().toISOString(),
        withdrawn_by: null,
        withdrawn_at: null,
        withdraw_reason: null,
      });
      const row = await notApplicableById(tx, id);
      const after = notApplicableView(row!);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'compliance.not_applicable_recorded',
        entityType: 'compliance_not_applicable',
        entityId: id,
        modelId: model.id,
        after,
      });
      return after;
    });
  }

  async withdrawNotApplicable(caller: Caller, id: string, reason: string): Promise<NotApplicable> {
    return this.db.write(async (tx) => {
      const row = await notApplicableById(tx, id);
      if (!row || row.withdrawn_at !== null) throw new NotFoundError('not-applicable record', id);
      await this.deps.models.authorize(caller.principal, row.model_key, 'compliance.not_applicable', tx);
      const before = notApplicableView(row);
      if (!(await withdrawNotApplicable(tx, id, caller.audit.actor, this.clock.now().toISOString(), reason)))
        throw new ConflictError(`not-applicable record ${id} was withdrawn concurrently`);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'compliance.not_applicable_withdrawn',
        entityType: 'compliance_not_applicable',
        entityId: id,
        modelId: row.model_id,
        before,
        after: { ...before, withdrawnBy: caller.audit.actor, withdrawReason: reason },
      });
      return before;
    });
  }

  /** Everything the status rule needs about one version, read in `tx`. */
  factsIn(
    tx: Kysely<Database>,
    model: ModelsTable,
    version: ModelVersionsTable,
    policy: PolicyDocument,
  ): Promise<VersionFacts> {
    return readVersionFacts(tx, this.clock, this.deps, model, version, policy);
  }
}

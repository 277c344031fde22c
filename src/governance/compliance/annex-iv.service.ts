import { CARD_SECTIONS } from '../../contracts/documentation.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { DecisionsService } from '../decisions/decisions.service.ts';
import { htmlToPdf } from '../documentation/pdf.ts';
import type { FindingsService } from '../findings/findings.service.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import { type AnnexIvInput, annexIvHtml, annexIvMarkdown } from './annex-iv.ts';
import { ownerName, previousVersionLabel, publishedCard, versionOf } from './compliance.queries.ts';
import type { ComplianceService } from './compliance.service.ts';

export interface AnnexIvExport {
  contentType: string;
  filename: string;
  body: string | Buffer;
}

/** Builds the Annex IV technical documentation of a model version from Assay's records. */
export class AnnexIvService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deps: {
      compliance: ComplianceService;
      models: ModelsService;
      findings: FindingsService;
      decisions: DecisionsService;
    },
  ) {}

  async input(caller: Caller, key: string, label?: string): Promise<AnnexIvInput> {
    const model = await this.deps.models.authorize(caller.principal, key, 'model.read');
    const tx = this.db.kysely;
    const version = await versionOf(tx, model.id, label);
    if (!version) throw new NotFoundError('version', `${key}@${label ?? '(latest)'}`);
    const status = await this.deps.compliance.statusIn(tx, model, version, 'eu-ai-act');
    const eu = this.deps.compliance.catalogs.catalog('eu-ai-act');
    const annex = new Set(eu?.requirements.filter((r) => r.kind === 'annex-item').map((r) => r.id));
    const card = await publishedCard(tx, version.id, CARD_SECTIONS);
    const decision = await this.deps.decisions.latestFinalIn(tx, version.id);
    return {
      model: {
        key: model.key,
        name: model.name,
        purpose: model.purpose,
        intendedUse: model.intended_use,
        owner: await ownerName(tx, model.owner_id),
        tier: model.tier === null ? null : Number(model.tier),
        euAiActClass: model.eu_ai_act_class ?? null,
      },
      version: {
        label: version.label,
        createdAt: version.created_at,
        previous: await previousVersionLabel(tx, version),
      },
      generatedAt: this.clock.now().toISOString(),
      policyVersion: status.policyVersion,
      items: (status.catalogs[0]?.requirements ?? []).filter((r) => annex.has(r.requirement)),
      card: Object.fromEntries(
        CARD_SECTIONS.map((s) => [
          s.id,
          String((card?.content[s.key] as { text?: unknown } | undefined)?.text ?? ''),
        ]),
      ),
      findings: (await this.deps.findings.forVersionIn(tx, version.id)).map((f) => ({
        id: f.id,
        title: f.title,
        severity: f.severity,
        state: f.state,
      })),
      decision: decision
        ? { id: decision.id, outcome: decision.outcome, finalizedAt: decision.finalizedAt }
        : null,
    };
  }

  async export(
    caller: Caller,
    key: string,
    label: string | undefined,
    format: 'md' | 'html' | 'pdf',
  ): Promise<AnnexIvExport> {
    const input = await this.input(caller, key, label);
    const base = `${input.model.key}-${input.version.label}-annex-iv`;
    if (format === 'md')
      return {
        contentType: 'text/markdown; charset=utf-8',
        filename: `${base}.md`,
        body: annexIvMarkdown(input),
      };
    const html = annexIvHtml(input);
    if (format === 'html')
      return { contentType: 'text/html; charset=utf-8', filename: `${base}.html`, body: html };
    return { contentType: 'application/pdf', filename: `${base}.pdf`, body: await htmlToPdf(html) };
  }
}

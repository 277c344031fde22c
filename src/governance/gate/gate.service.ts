import type { Kysely } from 'kysely';
import type { GateNote, GateQuery, GateResult } from '../../contracts/gate.ts';
import type { Gate } from '../../contracts/policy.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ModelsTable, ModelVersionsTable } from '../../platform/db/tables/inventory.ts';
import type { AcceptancesService } from '../acceptances/acceptances.service.ts';
import { approvalIndependence } from '../access/duty-steps.ts';
import { bindingNowIn } from '../decisions/decisions.queries.ts';
import type { DecisionsService } from '../decisions/decisions.service.ts';
import type { EvidenceService } from '../evidence/evidence.service.ts';
import type { FindingsService } from '../findings/findings.service.ts';
import { versionRowByLabel } from '../inventory/inventory.queries.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { PolicyService } from '../policy/policy.service.ts';
import { checklistFor } from '../reviews/review-rules.ts';
import type { DocumentStandingSource } from '../reviews/reviews.service.ts';
import { euObligationsFor, obligationLabels } from '../tiering/eu-obligations.ts';
import { classificationOf } from '../tiering/tiering.queries.ts';
import { enqueueWebhookEvent } from '../webhooks/webhook-outbox.ts';
import { decideGate, type GateState } from './gate-rules.ts';

/** The notes a valid lifecycle exception adds to a denied production answer for a version. */
export type GateNoteSource = (
  tx: Kysely<Database>,
  model: ModelsTable,
  version: ModelVersionsTable,
) => Promise<GateNote[]>;

/** Which policy gate an environment passes: production's list for production, validation's for the rest. */
export function gateForEnvironment(env: string): Gate {
  return env === 'production' ? 'production' : 'validation';
}

/** The deployment gate: reads one version's state and lets the pure rule decide. */
export class GateService {
  private documentStanding: DocumentStandingSource | null = null;
  private exceptionNotes: GateNoteSource | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deps: {
      policy: PolicyService;
      models: ModelsService;
      evidence: EvidenceService;
      findings: FindingsService;
      decisions: DecisionsService;
      acceptances: AcceptancesService;
    },
  ) {}

  /** Lets published model cards and datasheets count as the review checklist counts them (set by the composition root). */
  setDocumentStanding(source: DocumentStandingSource): void {
    this.documentStanding = source;
  }

  /** Adds the `allowed_by_exception` note to denied production answers (set by the composition root). */
  setExceptionNotes(source: GateNoteSource): void {
    this.exceptionNotes = source;
  }

  /** Whether `model@version` may deploy to `env` now, with every reason it may not. Denials fire `gate.denied`. */
  async check(caller: Caller, q: GateQuery): Promise<GateResult> {
    const model = await this.deps.models.authorize(caller.principal, q.model, 'gate.check');
    const tx = this.db.kysely;
    const version = await versionRowByLabel(tx, model.id, q.version);
    let result: GateResult;
    if (!version) {
      result = {
        allowed: false,
        reasons: [
          {
            code: 'version_not_found',
            message: `model '${q.model}' has no version '${q.version}'`,
            ref: q.version,
          },
        ],
      };
    } else {
      result = await this.evaluateIn(tx, model, version, q.env);
      if (!result.allowed && q.env === 'production' && this.exceptionNotes) {
        const notes = await this.exceptionNotes(tx, model, version);
        if (notes.length) result = { ...result, notes };
      }
    }
    if (!result.allowed) {
      await this.db.write((w) =>
        enqueueWebhookEvent(w, this.clock, 'gate.denied', {
          modelKey: model.key,
          versionLabel: q.version,
          env: q.env,
          reasons: result.reasons,
          requestedBy: caller.audit.actor,
        }),
      );
    }
    return result;
  }

  /**
   * The gate's decision for one version and environment at the clock's now, read in `tx` (also
   * inside a write: recording a production deployment asks it). No permission check, no webhook.
   */
  async evaluateIn(
    tx: Kysely<Database>,
    model: ModelsTable,
    version: ModelVersionsTable,
    env: string,
  ): Promise<GateResult> {
    const { policy, evidence, findings, decisions, acceptances } = this.deps;
    const now = this.clock.now();
    const active = await policy.active(tx);
    const tier = model.tier === null ? null : Number(model.tier);
    const decision = await decisions.latestFinalIn(tx, version.id);
    const versionFindings = await findings.forVersionIn(tx, version.id);
    const acceptedUntil = await acceptances.acceptedUntilIn(
      tx,
      versionFindings.map((f) => f.id),
    );
    const gate = gateForEnvironment(env);
    const eu = await classificationOf(tx, model.id);
    const obligations = obligationLabels(euObligationsFor(active.document, eu), gate);
    const state: GateState = {
      modelKey: model.key,
      versionLabel: version.label,
      decision: decision
        ? { id: decision.id, outcome: decision.outcome, expiresAt: decision.expiresAt }
        : null,
      euAiActClass: (model.eu_ai_act_class ?? null) as GateState['euAiActClass'],
      binding: decision ? await bindingNowIn(tx, version, decision) : null,
      obligations,
      requiredEvidence: checklistFor(active.document, tier, gate, eu),
      evidence: (await evidence.currentForVersion(version.id, tx)).map((e) => ({
        id: e.id,
        type: e.type,
        validUntil: e.validUntil,
      })),
      findings: versionFindings.map((f) => ({
        id: f.id,
        severity: f.severity,
        state: f.state,
        acceptedUntil: acceptedUntil.get(f.id) ?? null,
      })),
      conditions: (decision?.conditions ?? []).map((c) => ({ id: c.id, dueAt: c.dueAt, met: c.met })),
      documents: this.documentStanding ? await this.documentStanding(tx, version.id, tier) : {},
    };
    const result = decideGate(state, now);
    // Separation of duties, re-checked now: an approval whose validator or signers are not
    // independent of the model today does not open the gate.
    if (decision && (decision.outcome === 'approve' || decision.outcome === 'approve_with_conditions')) {
      const refusal = await approvalIndependence(tx, model.id, decision);
      if (refusal)
        return {
          allowed: false,
          reasons: [
            ...result.reasons,
            { code: 'not_independent', message: refusal.message, ref: decision.id },
          ],
        };
    }
    return result;
  }
}

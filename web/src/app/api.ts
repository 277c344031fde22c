/*
 * The console's data layer: every call goes through the typed SDK (src/sdk), whose answers are
 * validated against the zod contracts. Its types are in api-types.ts.
 */
import type { AuditEventQuery } from '../../../src/contracts/audit.ts';
import type { DocumentExportFormat } from '../../../src/contracts/documentation.ts';
import type { CardStandardExportFormat } from '../../../src/contracts/documentation-formats.ts';
import type { Evidence } from '../../../src/contracts/evidence.ts';
import { type ExplainEvidence, explainEvidenceSchema } from '../../../src/contracts/explain.ts';
import type { FindingState } from '../../../src/contracts/findings.ts';
import type { Model } from '../../../src/contracts/inventory.ts';
import type { ReviewState } from '../../../src/contracts/reviews.ts';
import { type RobustnessEvidence, robustnessEvidenceSchema } from '../../../src/contracts/robustness.ts';
import { validationEvidenceSchema } from '../../../src/contracts/validation-evidence.ts';
import { AssayClient, type ReviewApiEvent } from '../../../src/sdk/index.ts';
import { tierRationale } from '../model/tier-rationale.ts';
import type {
  Download,
  EvidenceTarget,
  ModelCardView,
  ModelDetail,
  ModelFilters,
  ModelLineage,
  ModelRelations,
  ModelRow,
  Page,
} from './api-types.ts';
import type { FindingMove, SuggestedFinding } from './api-workflow.ts';
import {
  listQueryOf,
  toLineage,
  toModelDetail,
  toModelDetailAsOf,
  toModelRow,
} from './inventory-adapters.ts';
import { toEvidenceRow, toValidationReport } from './report-adapter.ts';
import {
  toDashboardMetrics,
  toFindingCard,
  toGateResult,
  toPolicyView,
  toReviewDetail,
  toReviewRow,
} from './workflow-adapters.ts';

export type * from './api-types.ts';
export type { EvidenceRow } from './report-adapter.ts';

/** Whether evidence is a stored JSON file (the engine's evidence.json, not its report.html). */
function isJsonEvidence(e: Evidence): boolean {
  return (
    e.file !== null &&
    (e.file.mediaType === 'application/json' || (e.file.filename ?? '').toLowerCase().endsWith('.json'))
  );
}

/** Builds the console's client for a token (null before sign-in), on the page's own origin. */
export function createConsoleClient(token: string | null) {
  const sdk = new AssayClient({ baseUrl: window.location.origin, token });
  /** The stored file of a piece of evidence, parsed as the engine's validation evidence document. */
  const validationDocOf = async (e: Evidence) =>
    validationEvidenceSchema.safeParse(parseJson(await sdk.evidence.content(e.id)));
  /** The policy's suggested findings recorded in the version's newest validation evidence JSON. */
  const suggestionsOf = async (evidence: readonly Evidence[]): Promise<SuggestedFinding[]> => {
    const newest = evidence.find((e) => e.type === 'validation_report' && isJsonEvidence(e));
    if (!newest) return [];
    const doc = await validationDocOf(newest);
    if (!doc.success) return [];
    return (doc.data.suggested_findings ?? []).map((f) => ({
      id: f.id,
      evidenceId: newest.id,
      title: f.title,
      severity: f.severity,
      category: f.category,
      rationale: `${f.description}\n\nEvidence: ${newest.id} (${newest.file?.filename ?? ''}, sha256 ${newest.file?.sha256 ?? ''}).`,
    }));
  };
  const linkEvidence = (t: EvidenceTarget, title: string, url: string) =>
    sdk.evidence.link(t.modelKey, t.versionLabel, {
      type: t.type,
      title,
      externalUrl: url,
      ...(t.reviewId ? { reviewId: t.reviewId } : {}),
    });
  const uploadEvidence = async (t: EvidenceTarget, title: string, file: File) =>
    sdk.evidence.upload(
      t.modelKey,
      t.versionLabel,
      { type: t.type, title, ...(t.reviewId ? { reviewId: t.reviewId } : {}) },
      {
        filename: file.name,
        mediaType: file.type || 'application/octet-stream',
        content: new Uint8Array(await file.arrayBuffer()),
      },
    );
  const bytesDownload = (bytes: Uint8Array<ArrayBuffer>, type: string, filename: string): Download => ({
    blob: new Blob([bytes], { type }),
    filename,
  });

  return {
    me: () => sdk.auth.me(),
    login: (username: string, password: string) => sdk.auth.login(username, password),
    /** Whether single sign-on is configured, and where the console starts it. */
    ssoStatus: () => sdk.sso.status(),
    /** Redeems the SSO callback's one-time ticket for a console session token. */
    redeemSsoTicket: (ticket: string) => sdk.sso.redeemTicket(ticket),
    /** The reconciliation report (registered and deployed / registered, not deployed / shadow) and its one-click registration. */
    connectors: sdk.connectors,
    listModels: async (
      { limit, cursor, ...f }: ModelFilters & { limit?: number; cursor?: string | undefined },
      _signal?: AbortSignal,
      // The list does not count its matches; `total` stays absent until the API says it.
    ): Promise<Page<ModelRow> & { total?: number }> => {
      const page = await sdk.models.list({ ...listQueryOf(f), ...(limit ? { limit } : {}), cursor });
      return { ...page, items: page.items.map(toModelRow) };
    },
    getModel: async (key: string, asOf?: string): Promise<ModelDetail> => {
      // the overview's tier rationale comes from the tierings and the tier overrides in force
      const [detail, tierings, overrides] = await Promise.all([
        asOf
          ? sdk.models.asOf(key, asOf).then((f) => ('model' in f ? toModelDetailAsOf(f) : toModelDetail(f)))
          : sdk.models.get(key).then(toModelDetail),
        sdk.tiering.history(key),
        sdk.tiering.overrides.list(key),
      ]);
      return { ...detail, tierRationale: tierRationale(tierings, overrides, asOf ?? null) };
    },
    createModel: (input: Parameters<typeof sdk.models.register>[0]) => sdk.models.register(input),
    transitionModel: (key: string, to: string, rowVersion: number, reason?: string) =>
      sdk.models.transition(key, to as Model['status'], reason, rowVersion),
    getLineage: async (key: string): Promise<ModelLineage> => toLineage(await sdk.models.lineage(key)),
    modelHistory: (key: string, cursor?: string) => sdk.models.history(key, { limit: 100, cursor }),
    auditEvents: (q: Partial<AuditEventQuery>) => sdk.audit.events({ limit: 100, ...q }),
    verifyAudit: () => sdk.audit.verify(),
    metrics: async () => toDashboardMetrics(await sdk.metrics.get()),
    /** The exception report (what an auditor looks for first). */
    exceptionReport: () => sdk.reports.exceptions(),
    /** Monitoring alerts (inbox, acknowledgement, triage, silences) and incidents. */
    alerts: sdk.alerts,
    /** Compliance mapping: computed status per model and catalog, the portfolio and its coverage. */
    compliance: sdk.compliance,
    incidents: sdk.incidents,
    /** Production monitoring of deployments (series, windows, plans). */
    monitoring: sdk.monitoring,
    /** A model's deployments (what its monitoring tab offers). */
    deployments: (modelKey: string) => sdk.deployments.list(modelKey),
    /** One monitoring window with its evidence drawn as a validation report (when it is one). */
    monitoringWindow: async (modelKey: string, deploymentId: string, windowId: string) => {
      const [window, deployments] = await Promise.all([
        sdk.monitoring.window(deploymentId, windowId),
        sdk.deployments.list(modelKey),
      ]);
      const deployment = deployments.items.find((d) => d.id === deploymentId) ?? null;
      const doc = validationEvidenceSchema.safeParse(window.evidence);
      const report = doc.success
        ? toValidationReport(doc.data, { modelKey, versionLabel: deployment?.version ?? '', sha256: null })
        : null;
      return { window, deployment, report };
    },
    /** The monitoring KPIs of the metrics API (coverage, open alerts, MTTD, MTTR, time to acknowledge). */
    monitoringKpis: async () => (await sdk.metrics.get()).monitoring,
    listFindings: async (f: {
      state?: string | undefined;
      owner?: string | undefined;
      model?: string | undefined;
    }) => {
      const [findings, acceptances] = await Promise.all([
        sdk.findings.list({
          modelKey: f.model,
          // "open" on the board means not closed: every state but closed.
          state: f.state === 'open' ? undefined : (f.state as FindingState | undefined),
          limit: 500,
        }),
        sdk.acceptances.list({ modelKey: f.model, limit: 500 }),
      ]);
      return findings.items
        .filter((x) => f.state !== 'open' || x.state !== 'closed')
        .filter((x) => !f.owner || x.owner === f.owner)
        .map((x) => toFindingCard(x, acceptances.items));
    },
    /** Moves a finding: remediation plan, closure evidence (attached first), verification or sending back. */
    moveFinding: async (f: { id: string; modelKey: string; versionLabel?: string }, move: FindingMove) => {
      if (move.event === 'start_remediation')
        return sdk.findings.transition(f.id, { event: move.event, remediationPlan: move.remediationPlan });
      if (move.event === 'submit_for_verification') {
        // Closure evidence is evidence of the finding's version; the finding then cites it.
        const target = { modelKey: f.modelKey, versionLabel: f.versionLabel ?? '', type: 'other' as const };
        const { title, url, file } = move.closure;
        const evidence = file
          ? await uploadEvidence(target, title || file.name, file)
          : await linkEvidence(target, title, url ?? '');
        return sdk.findings.transition(f.id, { event: move.event, closureEvidenceId: evidence.id });
      }
      return sdk.findings.transition(f.id, { event: move.event, ...(move.note ? { note: move.note } : {}) });
    },
    /** Requests accepting the residual risk of findings of one model until `expiresAt`. */
    requestAcceptance: (findingIds: string[], rationale: string, expiresAt: string) =>
      sdk.acceptances.request({ findingIds, rationale, expiresAt }),
    /** Approves or rejects a pending risk acceptance. */
    decideAcceptance: (id: string, decision: 'approve' | 'reject') =>
      decision === 'approve' ? sdk.acceptances.approve(id) : sdk.acceptances.reject(id),
    /** Sets a model's owner, developers and validators. */
    setRelations: (key: string, relations: ModelRelations) => sdk.models.setRelations(key, relations),
    /** Assigns the review's validator (independent of the model and the submitter). */
    assignValidator: (reviewId: string, validator: string, rowVersion: number) =>
      sdk.reviews.assignValidator(reviewId, validator, { ifMatch: rowVersion }),
    /** A version's model card (latest revision), its revisions and its completeness; null card when none yet. */
    modelCard: async (key: string, label: string): Promise<ModelCardView> => {
      // The revision list is empty (not a 404) when the version has no card yet.
      const revisions = await sdk.documentation.card.revisions(key, label);
      if (revisions.length === 0) return { card: null, revisions, completeness: null };
      const [card, completeness] = await Promise.all([
        sdk.documentation.card.get(key, label),
        sdk.documentation.card.completeness(key, label),
      ]);
      return { card, revisions, completeness };
    },
    /** A version's model card as a file: md, html, pdf, json, or a Hugging Face README / CycloneDX ML-BOM / SPDX 3.0.1 document. */
    modelCardExport: async (
      key: string,
      label: string,
      format: DocumentExportFormat | CardStandardExportFormat,
    ): Promise<Download> => {
      const name = `${key}-${label}-model-card`;
      const standard = {
        huggingface: ['text/markdown', `${name}-README.md`],
        cyclonedx: ['application/vnd.cyclonedx+json', `${name}.cdx.json`],
        spdx: ['application/ld+json', `${name}.spdx.json`],
      } as const;
      if (format in standard) {
        const f = format as CardStandardExportFormat;
        const [type, filename] = standard[f];
        return bytesDownload(await sdk.documentation.card.exportStandard(key, label, f), type, filename);
      }
      const types = {
        md: 'text/markdown',
        html: 'text/html',
        pdf: 'application/pdf',
        json: 'application/json',
      };
      const f = format as DocumentExportFormat;
      return bytesDownload(await sdk.documentation.card.export(key, label, f), types[f], `${name}.${f}`);
    },
    /** The model's signed audit package (as of a past time when given). */
    auditPackage: async (key: string, asOf: string | null): Promise<Download> => {
      const { body, filename } = await sdk.auditPackages.download(key, asOf ? { asOf } : {});
      return { blob: await new Response(body).blob(), filename };
    },
    listReviews: async (f: { state?: string | undefined; model?: string | undefined }) =>
      (
        await sdk.reviews.list({ modelKey: f.model, state: f.state as ReviewState | undefined, limit: 500 })
      ).items.map(toReviewRow),
    gateCheck: async (modelKey: string, version: string, environment: string) =>
      toGateResult(await sdk.gate.check(modelKey, version, environment), modelKey, version, new Date()),
    listUsers: async () => (await sdk.users.list({ limit: 500 })).items,
    listTokens: async () => (await sdk.tokens.list({ limit: 500, includeRevoked: true })).items,
    createUser: (input: Parameters<typeof sdk.users.create>[0]) => sdk.users.create(input),
    setUserDisabled: (id: string, disabled: boolean) => sdk.users.update(id, { disabled }),
    createToken: (input: Parameters<typeof sdk.tokens.create>[0]) => sdk.tokens.create(input),
    revokeToken: (id: string) => sdk.tokens.revoke(id),
    activePolicy: async () => {
      const [active, versions] = await Promise.all([sdk.policy.show(), sdk.policy.versions()]);
      return toPolicyView(active, versions);
    },
    getReview: async (id: string) => {
      const r = await sdk.reviews.get(id);
      const [evidence, findings, decisions] = await Promise.all([
        sdk.evidence.list(r.modelKey, r.versionLabel, { includeSuperseded: 'false' }),
        sdk.findings.list({ modelKey: r.modelKey, limit: 500 }),
        sdk.decisions.list({ modelKey: r.modelKey, limit: 500 }),
      ]);
      return toReviewDetail(r, evidence, findings.items, decisions.items, await suggestionsOf(evidence));
    },
    openReview: (
      modelKey: string,
      label: string,
      type: Parameters<typeof sdk.reviews.open>[2]['type'],
      gate: Parameters<typeof sdk.reviews.open>[2]['gate'],
    ) => sdk.reviews.open(modelKey, label, { type, gate }),
    transitionReview: (id: string, event: string, rowVersion: number) =>
      event === 'submit'
        ? sdk.reviews.submit(id, { ifMatch: rowVersion })
        : sdk.reviews.transition(id, event as ReviewApiEvent, undefined, { ifMatch: rowVersion }),
    linkEvidence,
    uploadEvidence,
    /** Counts earlier evidence for a review's cycle, with a reason (the assigned validator or governance). */
    carryForward: (reviewId: string, evidenceId: string, reason: string) =>
      sdk.reviews.carryForward(reviewId, { evidenceId, reason }),
    logFinding: (
      r: { id: string; modelKey: string; versionLabel: string | null },
      f: {
        title: string;
        severity: string;
        description: string;
        category: string;
        owner: string;
        suggestionId?: string;
        evidenceId?: string;
      },
    ) =>
      sdk.findings.raise(r.modelKey, r.versionLabel ?? '', {
        title: f.title,
        description: f.description || f.title,
        category: f.category,
        severity: f.severity as Parameters<typeof sdk.findings.raise>[2]['severity'],
        owner: f.owner,
        reviewId: r.id,
        ...(f.suggestionId && f.evidenceId
          ? { suggestion: { evidenceId: f.evidenceId, suggestionId: f.suggestionId } }
          : {}),
      }),
    countersign: (decisionId: string) => sdk.decisions.sign(decisionId),
    signDecision: (
      reviewId: string,
      d: Pick<Parameters<typeof sdk.decisions.propose>[1], 'outcome' | 'rationale'> & {
        conditions: { text: string; owner: string; dueAt: string }[];
      },
    ) =>
      sdk.decisions.propose(reviewId, {
        outcome: d.outcome,
        rationale: d.rationale,
        ...(d.conditions.length ? { conditions: d.conditions } : {}),
      }),
    tieringQuestions: async () => (await sdk.policy.document()).tiering.questions,
    /** Every tiering of a model, newest first (its rationale and EU AI Act classification). */
    tierings: (modelKey: string) => sdk.tiering.history(modelKey),
    /** Registered webhooks (admin). */
    listWebhooks: () => sdk.webhooks.list(),
    createWebhook: (input: Parameters<typeof sdk.webhooks.create>[0]) => sdk.webhooks.create(input),
    deactivateWebhook: (id: string) => sdk.webhooks.deactivate(id),
    webhookDeliveries: (id: string) => sdk.webhooks.deliveries(id),
    assessTier: (modelKey: string, label: string, answers: Record<string, string>) =>
      sdk.tiering.assess(modelKey, label, { answers }),
    versionEvidence: async (modelKey: string, label: string) =>
      (await sdk.evidence.list(modelKey, label)).map(toEvidenceRow),
    /** The newest explanation (assay.explain/v1) and robustness (assay.robustness/v1) documents of a version. */
    modelEvidence: async (modelKey: string, label: string) => {
      const list = (await sdk.evidence.list(modelKey, label, { type: 'test_results' })).filter(
        isJsonEvidence,
      );
      let explanation: { id: string; doc: ExplainEvidence } | null = null;
      let robustness: { id: string; doc: RobustnessEvidence } | null = null;
      for (const e of list) {
        if (explanation && robustness) break;
        const json = parseJson(await sdk.evidence.content(e.id));
        const x = explainEvidenceSchema.safeParse(json);
        if (x.success && !explanation) explanation = { id: e.id, doc: x.data };
        const r = robustnessEvidenceSchema.safeParse(json);
        if (r.success && !robustness) robustness = { id: e.id, doc: r.data };
      }
      return { explanation, robustness };
    },
    /** A version's GenAI runs (rates, intervals) and the comparison with the previous version (docs/genai.md). */
    genaiReport: (modelKey: string, label: string) => sdk.genai.report(modelKey, label),
    validationReport: async (modelKey: string, label: string) => {
      const list = await sdk.evidence.list(modelKey, label, { type: 'validation_report' });
      // --push stores evidence.json and report.html as validation_report: read the JSON one
      const newest = list.find((e) => isJsonEvidence(e));
      if (!newest)
        throw new Error(`version ${label} has no validation evidence yet; run \`assay validate\` for it`);
      const doc = await validationDocOf(newest);
      if (!doc.success)
        throw new Error(`the newest validation evidence of ${label} is not an assay.validation/v1 document`);
      return toValidationReport(doc.data, {
        modelKey,
        versionLabel: label,
        sha256: newest.file?.sha256 ?? null,
      });
    },
  };
}

/** Everything the console asks of the server (each answer typed and validated by the SDK). */
export type ConsoleClient = ReturnType<typeof createConsoleClient>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

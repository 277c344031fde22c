import { z } from 'zod';

const count = z.number().int();
const ratio = z.number().nullable();

/** The portfolio KPIs, computed from the data with the clock at `asOf`. */
/** Monitoring KPIs (alerts and incidents); durations in minutes, null when there is nothing to average. */
export const monitoringKpisSchema = z.object({
  coverage: z.object({ productionDeployments: count, monitored: count, ratio }),
  openAlerts: z.object({ total: count, warning: count, critical: count, unacknowledged: count }),
  alertTimeToAcknowledgeMinutes: ratio,
  incidents: z.object({
    open: count,
    resolved: count,
    mttdMinutes: ratio,
    mttrMinutes: ratio,
    timeToAcknowledgeMinutes: ratio,
    seriousOpenReports: count,
    seriousReportsOverdue: count,
  }),
  /** Windows the server is still computing in the background (the demo's production monitoring on a first start); null when none. */
  backgroundWindows: z.object({ computed: count, expected: count }).nullable(),
});
export type MonitoringKpis = z.infer<typeof monitoringKpisSchema>;

export const metricsSchema = z.object({
  asOf: z.string(),
  inventory: z.object({
    models: count,
    complete: count,
    completeness: ratio,
    /** Models in the inventory (not retired) by tier number; `untiered` for none yet. */
    byTier: z.record(z.string(), count),
    /** Every model by lifecycle status, retired included. */
    byStatus: z.record(z.string(), count),
    /** Models in the inventory (not retired) by EU AI Act class; `unclassified` for never tiered. */
    byEuAiActClass: z.record(z.string(), count),
  }),
  tiering: z.object({ models: count, tiered: count, completeness: ratio }),
  submissionToDecision: z.object({ decisions: count, medianDays: ratio }),
  firstPassEvidence: z.object({ reviews: count, completeAtSubmission: count, rate: ratio }),
  findings: z.object({
    open: count,
    bySeverity: z.record(z.string(), count),
    byAge: z.object({ d0_30: count, d31_90: count, d91_180: count, d181plus: count }),
  }),
  remediationSla: z.object({ closed: count, closedOnTime: count, adherence: ratio }),
  overdue: z.object({ findings: count, conditions: count, reviews: count }),
  periodicReview: z.object({ approvedVersions: count, current: count, compliance: ratio }),
  reviewsDue: z.object({ d30: count, d60: count, d90: count }),
  riskAcceptances: z.array(
    z.object({
      id: z.string(),
      modelKey: z.string(),
      requestedBy: z.string(),
      approvedBy: z.string().nullable(),
      rationale: z.string(),
      state: z.string(),
      expiresAt: z.string(),
      findingCount: count,
    }),
  ),
  /** The exception report's counts (GET /api/v1/reports/exceptions has the rows). */
  exceptions: z.object({
    productionWithoutApproval: count,
    deploymentsGateDenied: count,
    retiredStillDeployed: count,
    approvalsOnSupersededTier: count,
    overdueConditions: count,
    expiredAcceptances: count,
    exceptionsInForce: count,
  }),
  /** Production monitoring: coverage, open alerts, MTTD, MTTR, time to acknowledge. */
  monitoring: monitoringKpisSchema,
});
export type Metrics = z.infer<typeof metricsSchema>;

export const metricsQuerySchema = z.strictObject({ format: z.enum(['json', 'csv']).default('json') });

import type { Alert, AlertTriage } from '../../contracts/alerts.ts';
import type { FindingCreate } from '../../contracts/findings.ts';
import type { AlertRouting, CheckSignal } from '../../contracts/monitoring-signals.ts';
import type { AlertsTable } from '../../platform/db/tables/alerts.ts';
import { newId } from '../../platform/ids.ts';
import type { Transition } from './alert-rules.ts';

/** The alert columns each window refreshes (value, thresholds, window, evidence, routing). */
export function windowFieldsOf(s: CheckSignal, routing: AlertRouting, now: string) {
  return {
    plan_id: s.planId,
    plan_version: s.planVersion,
    value: s.value,
    warning: s.warning,
    critical: s.critical,
    direction: s.direction,
    for_windows: s.forWindows,
    runbook_url: s.runbookUrl,
    window_start: s.windowStart,
    window_end: s.windowEnd,
    evidence_window_id: s.evidence.windowId,
    evidence_url: s.evidence.url,
    routing_json: JSON.stringify(routing),
    updated_at: now,
  };
}

/** A new firing alert for the signal that fired it. */
export function newAlertRow(
  s: CheckSignal,
  fingerprint: string,
  fire: Extract<Transition, { kind: 'fire' }>,
  now: string,
  windowFields: ReturnType<typeof windowFieldsOf>,
): AlertsTable {
  return {
    id: newId(),
    fingerprint,
    deployment_id: s.deploymentId,
    model_id: s.modelId,
    version_id: s.versionId,
    check_name: s.check,
    kind: s.kind,
    metric: s.metric,
    feature: s.feature,
    severity: fire.severity,
    state: 'firing',
    starts_at: fire.startsAt,
    fired_at: now,
    resolved_at: null,
    acknowledged_by: null,
    acknowledged_at: null,
    assignee: null,
    triage: null,
    triage_ref: null,
    last_notified_at: null,
    notifications: 0,
    row_version: 1,
    ...windowFields,
  };
}

/** The finding an alert is triaged into: it cites the window's evidence (and the runbook). */
export function findingFromAlert(
  alert: Alert,
  category: string,
  input: Extract<AlertTriage, { to: 'finding' }>,
): FindingCreate {
  return {
    title:
      input.title ??
      `${alert.check} ${alert.severity} on ${alert.environment} (${alert.modelKey}@${alert.versionLabel})`,
    description: [
      `Monitoring alert ${alert.id} (${alert.severity}) on deployment ${alert.deploymentId} (${alert.environment}).`,
      `${alert.metric}${alert.feature ? ` of ${alert.feature}` : ''} = ${alert.value ?? 'n/a'}; warning ${alert.warning ?? 'n/a'}, critical ${alert.critical ?? 'n/a'} (${alert.direction} is bad).`,
      `Window ${alert.windowStart} – ${alert.windowEnd}; since ${alert.startsAt}.`,
      `Evidence: window ${alert.evidence.windowId} at ${alert.evidence.url}`,
      alert.runbookUrl ? `Runbook: ${alert.runbookUrl}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
    category,
    severity: input.severity ?? (alert.severity === 'critical' ? 'high' : 'medium'),
    owner: input.owner,
  };
}

/** The policy's `alerting.driftReview` rule. */
export interface DriftReviewRule {
  criticalWindows: number;
  tiers?: number[] | undefined;
}

/**
 * Whether this signal completes a run of `criticalWindows` consecutive critical drift windows
 * (exactly then, so a longer run opens one review), for a model of a tier the rule covers.
 */
export function driftReviewDue(
  rule: DriftReviewRule | undefined,
  s: Pick<CheckSignal, 'kind'>,
  criticalStreak: number,
  tier: number | string | null,
): boolean {
  if (!rule || s.kind !== 'drift' || criticalStreak !== rule.criticalWindows) return false;
  return !rule.tiers || (tier !== null && rule.tiers.includes(Number(tier)));
}

/** The change-triggered review sustained critical drift opens (production gate). */
export function driftReviewInput(
  s: CheckSignal,
  dep: { key: string; version_label: string },
  criticalStreak: number,
) {
  return {
    modelKey: dep.key,
    versionLabel: dep.version_label,
    type: 'change' as const,
    gate: 'production' as const,
    reason: `sustained critical drift: ${s.check} critical for ${criticalStreak} consecutive windows up to ${s.windowEnd} on deployment ${s.deploymentId} (policy alerting.driftReview)`,
  };
}

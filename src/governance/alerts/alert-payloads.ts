import type { Alert } from '../../contracts/alerts.ts';

/**
 * The Alertmanager v2 API body (`POST /api/v2/alerts`) for one alert: labels identify it (the same
 * labels every time, so Alertmanager deduplicates and groups it), annotations describe it, and
 * `endsAt` tells Alertmanager when to consider it resolved if Assay stops repeating it (three
 * repeat intervals), or is the resolution time once resolved.
 */
export function alertmanagerBody(alert: Alert, now: Date, repeatIntervalSeconds: number): unknown[] {
  const labels: Record<string, string> = {
    alertname: `assay_${alert.kind}`,
    severity: alert.severity,
    assay_fingerprint: alert.fingerprint,
    deployment: alert.deploymentId,
    environment: alert.environment,
    model: alert.modelKey,
    version: alert.versionLabel,
    check: alert.check,
    metric: alert.metric,
  };
  if (alert.feature !== null) labels.feature = alert.feature;
  const threshold = alert.severity === 'critical' ? alert.critical : alert.warning;
  const annotations: Record<string, string> = {
    summary: `${alert.modelKey}@${alert.versionLabel} (${alert.environment}): ${alert.check} ${alert.severity}`,
    description: `${alert.metric}${alert.feature ? ` of ${alert.feature}` : ''} = ${alert.value ?? 'n/a'} (${alert.direction} ${threshold ?? 'n/a'} is bad) in the window ${alert.windowStart} – ${alert.windowEnd}`,
    evidence: alert.evidence.url,
  };
  if (alert.runbookUrl) annotations.runbook_url = alert.runbookUrl;
  const endsAt =
    alert.state === 'resolved'
      ? (alert.resolvedAt ?? now.toISOString())
      : new Date(now.getTime() + 3 * repeatIntervalSeconds * 1000).toISOString();
  return [{ labels, annotations, startsAt: alert.startsAt, endsAt, generatorURL: alert.evidence.url }];
}

/** The URL a route of type `alertmanager` is posted to: its base URL with `/api/v2/alerts`. */
export function alertmanagerUrl(base: string): string {
  const u = new URL(base);
  if (!u.pathname.endsWith('/api/v2/alerts')) u.pathname = `${u.pathname.replace(/\/+$/, '')}/api/v2/alerts`;
  return u.toString();
}

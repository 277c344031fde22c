import {
  adultPlan,
  adultPredictions,
  outcomesCsv,
  predictionsCsv,
  referenceCsv,
} from '../../../src/governance/monitoring/monitoring-fixture.ts';

const DAY = 86_400_000;

/** What a seeded deployment is called and where its windows lie. */
export interface SeededDeployment {
  modelKey: string;
  versionLabel: string;
  deploymentId: string;
  windows: number;
}

async function send(
  base: string,
  token: string,
  method: string,
  pathname: string,
  body: string,
  contentType: string,
): Promise<unknown> {
  const res = await fetch(base + pathname, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${pathname} → ${res.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * Registers a model with a staging deployment, applies the Adult fixture's monitoring plan,
 * ingests its reference, `days` days of real scored rows (the first `labelledDays` with outcomes)
 * through the API and computes every window: real windows, computed by the engine, as a user's
 * deployment would have them. The last day ends at today's UTC midnight.
 */
export async function seedMonitoredDeployment(
  base: string,
  token: string,
  options: { modelKey: string; days: number; perDay: number; labelledDays?: number },
): Promise<SeededDeployment> {
  const json = (method: string, p: string, body: unknown) =>
    send(base, token, method, p, JSON.stringify(body), 'application/json');
  const { modelKey, days, perDay } = options;
  await json('POST', '/api/v1/models', { key: modelKey, name: `Model ${modelKey}`, type: 'classification' });
  await json('POST', `/api/v1/models/${modelKey}/versions`, { label: '1.0.0' });
  const dep = (await json('POST', `/api/v1/models/${modelKey}/deployments`, {
    version: '1.0.0',
    environment: 'staging',
  })) as { id: string };
  const mon = `/api/v1/deployments/${encodeURIComponent(dep.id)}/monitoring`;
  await json('PUT', `${mon}/plan`, { text: adultPlan() });
  await send(base, token, 'POST', `${mon}/ingest?kind=reference&format=csv`, referenceCsv(), 'text/csv');
  const today = Math.floor(Date.now() / DAY) * DAY;
  const preds = adultPredictions(new Date(today - days * DAY).toISOString(), days, perDay);
  await send(
    base,
    token,
    'POST',
    `${mon}/ingest?kind=predictions&format=csv`,
    predictionsCsv(preds),
    'text/csv',
  );
  const labelled = preds.slice(0, (options.labelledDays ?? days) * perDay);
  if (labelled.length > 0)
    await send(
      base,
      token,
      'POST',
      `${mon}/ingest?kind=outcomes&format=csv`,
      outcomesCsv(labelled),
      'text/csv',
    );
  // Backfill a month per request, so no single request runs for minutes.
  const first = today - days * DAY;
  for (let from = first; from < today; from += 30 * DAY)
    await json('POST', `${mon}/run`, {
      from: new Date(from).toISOString(),
      to: new Date(Math.min(from + 30 * DAY, today)).toISOString(),
    });
  return { modelKey, versionLabel: '1.0.0', deploymentId: dep.id, windows: days };
}

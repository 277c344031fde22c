import fs from 'node:fs';
import path from 'node:path';

/**
 * Test and benchmark fixtures built from the UCI Adult scored files in data/adult: prediction
 * logs with ids and timestamps over consecutive days, their outcomes, and the reference.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
export const ADULT_PRODUCTION = path.join(ROOT, 'data/adult/adult_scored_production.csv');
export const ADULT_REFERENCE = path.join(ROOT, 'data/adult/adult_scored_reference.csv');

/** The features the fixture plans watch. */
export const ADULT_FEATURES = [
  'age',
  'education_num',
  'hr_per_week',
  'capital_gain',
  'sex',
  'race',
  'occupation',
];

export interface AdultRow {
  cells: Record<string, string>;
}

/** Reads a small CSV without quoted fields (the Adult files have none). */
export function readCsv(file: string): { header: string[]; rows: Record<string, string>[] } {
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  const header = (lines[0] as string).split(',');
  const rows = lines.slice(1).map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
  return { header, rows };
}

export function toCsv(header: string[], rows: Record<string, string | number>[]): string {
  return `${header.join(',')}\n${rows.map((r) => header.map((h) => String(r[h] ?? '')).join(',')).join('\n')}\n`;
}

/** A prediction log row: the Adult production row with an id and a timestamp. */
export interface LoggedPrediction {
  prediction_id: string;
  timestamp: string;
  label: string;
  row: Record<string, string>;
}

/**
 * Spreads the first `perDay × days` production rows over `days` days from `start` (UTC), at
 * evenly spaced times within each day.
 */
export function adultPredictions(start: string, days: number, perDay: number): LoggedPrediction[] {
  const { rows } = readCsv(ADULT_PRODUCTION);
  const out: LoggedPrediction[] = [];
  const t0 = Date.parse(start);
  for (let d = 0; d < days; d++) {
    for (let i = 0; i < perDay; i++) {
      const row = rows[(d * perDay + i) % rows.length] as Record<string, string>;
      out.push({
        prediction_id: `p-${d}-${i}`,
        timestamp: new Date(t0 + d * 86_400_000 + Math.floor((i * 86_400_000) / perDay)).toISOString(),
        label: row.label as string,
        row,
      });
    }
  }
  return out;
}

/** Columns of a prediction log (no label: outcomes arrive apart). */
export const LOG_COLUMNS = ['prediction_id', 'timestamp', ...ADULT_FEATURES, 'score'];

export function predictionsCsv(preds: LoggedPrediction[]): string {
  return toCsv(
    LOG_COLUMNS,
    preds.map((p) => ({ ...p.row, prediction_id: p.prediction_id, timestamp: p.timestamp })),
  );
}

export function outcomesCsv(preds: LoggedPrediction[]): string {
  return toCsv(
    ['prediction_id', 'label'],
    preds.map((p) => ({ prediction_id: p.prediction_id, label: p.label })),
  );
}

/** NDJSON lines of the streaming API. */
export function predictionsNdjson(preds: LoggedPrediction[]): string {
  return preds
    .map((p) => {
      const features: Record<string, string | number> = {};
      for (const f of ADULT_FEATURES) {
        const v = p.row[f] as string;
        features[f] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
      }
      return JSON.stringify({
        predictionId: p.prediction_id,
        timestamp: p.timestamp,
        features,
        score: Number(p.row.score),
      });
    })
    .join('\n');
}

export function outcomesNdjson(preds: LoggedPrediction[]): string {
  return preds
    .map((p) => JSON.stringify({ predictionId: p.prediction_id, label: Number(p.label) }))
    .join('\n');
}

/** The reference file with the plan's columns and the label. */
export function referenceCsv(): string {
  const { rows } = readCsv(ADULT_REFERENCE);
  return toCsv([...ADULT_FEATURES, 'score', 'label'], rows);
}

/** A plan for the Adult fixture (YAML). */
export function adultPlan(extra = ''): string {
  return `schema: assay.monitoring-plan/v1
columns:
  score: score
  label: label
  positiveLabel: '1'
features: [${ADULT_FEATURES.join(', ')}]
categorical: [sex, race, occupation]
baseline:
  type: reference
window: day
checks:
  - kind: drift
    metric: psi
    feature: age
    warning: 0.1
    critical: 0.25
  - kind: drift
    metric: wasserstein_normed
    feature: '@prediction'
    warning: 0.1
    critical: 0.2
  - kind: drift
    metric: js_distance
    feature: occupation
    warning: 0.1
    critical: 0.2
  - kind: drift
    metric: drift_share
    warning: 0.3
    critical: 0.5
  - kind: data_quality
    metric: missing_share
    feature: occupation
    warning: 0.05
    critical: 0.2
  - kind: data_quality
    metric: new_category_share
    feature: occupation
    warning: 0.01
  - kind: volume
    metric: rows
    warning: 100
    critical: 10
  - kind: performance
    metric: roc_auc
    warning: 0.85
    critical: 0.8
    minLabelledRows: 50
    forWindows: 2
  - kind: estimated_performance
    metric: roc_auc
    warning: 0.85
    critical: 0.8
alerting:
  routes:
    - type: webhook
      url: http://127.0.0.1:9/hook
  repeatIntervalSeconds: 3600
  runbookUrl: https://runbooks.example/adult
${extra}`;
}

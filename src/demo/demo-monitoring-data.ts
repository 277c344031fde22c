import { readFileSync } from 'node:fs';
import path from 'node:path';
import { installRoot } from '../platform/install-root.ts';

/**
 * The demo's production traffic: real UCI Adult rows scored by the census model, resampled day by
 * day. A normal day is drawn from the scored holdout's other half's population as validated
 * (adult_scored_reference.csv); a drifting day draws a share of its rows from the drifted
 * population (adult_scored_production.csv: younger people, shorter weeks). Deterministic: the
 * same day of the same deployment always gets the same rows.
 */

const DAY = 86_400_000;

/** The columns a demo prediction log carries (features the plans watch, then the score). */
export const DEMO_FEATURES = [
  'age',
  'education_num',
  'hr_per_week',
  'capital_gain',
  'sex',
  'race',
  'occupation',
] as const;

/** What happens to one day's traffic. `k` counts days back from the last demo window (1 = the last). */
export interface DayShape {
  /** Predictions that day. */
  rows: number;
  /** Share of rows drawn from the drifted population (adult_scored_production.csv). */
  drifted: number;
  /** Tilts sampling towards high scores: weight exp(scoreShift · score). */
  scoreShift: number;
  /** Share of rows whose occupation arrives empty (a broken upstream feed). */
  occupationMissing: number;
  /** Share of rows with an occupation the reference never had. */
  newOccupation: number;
}

export const NORMAL_DAY: DayShape = {
  rows: 300,
  drifted: 0,
  scoreShift: 0,
  occupationMissing: 0,
  newOccupation: 0,
};

type Row = Record<string, string>;

const cache = new Map<string, Row[]>();

/** One of the scored Adult files. */
export function adultFile(name: 'production' | 'reference'): string {
  return path.join(installRoot(), 'data/adult', `adult_scored_${name}.csv`);
}

/** The rows of a scored Adult file (no quoted fields in them). */
function rowsOf(name: 'production' | 'reference'): Row[] {
  let rows = cache.get(name);
  if (!rows) {
    const lines = readFileSync(adultFile(name), 'utf8').trim().split('\n');
    const header = (lines[0] as string).split(',');
    rows = lines.slice(1).map((line) => {
      const cells = line.split(',');
      return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
    });
    cache.set(name, rows);
  }
  return rows;
}

/** Draws rows with replacement, weighted by exp(tilt · score). */
function sampler(rows: Row[], tilt: number, rand: () => number): () => Row {
  const cumulative: number[] = [];
  let total = 0;
  for (const r of rows) {
    total += Math.exp(tilt * Number(r.score));
    cumulative.push(total);
  }
  return () => {
    const x = rand() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return rows[lo] as Row;
  };
}

/** mulberry32: a small seeded PRNG (the demo must come out the same every time). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** One logged prediction of the demo. */
export interface DemoPrediction {
  predictionId: string;
  /** Epoch ms. */
  at: number;
  label: string;
  row: Row;
}

/**
 * The predictions of one day: `shape.rows` rows drawn with replacement, a `drifted` share of them
 * from the drifted population and the rest from the validated one (both tilted by `scoreShift`),
 * then given the shape's missing and new occupations; times are spread evenly over the day.
 */
export function dayPredictions(prefix: string, dayStart: number, shape: DayShape): DemoPrediction[] {
  const rand = prng(seedOf(`${prefix}:${dayStart}`));
  const validated = sampler(rowsOf('reference'), shape.scoreShift, rand);
  const drifted = sampler(rowsOf('production'), shape.scoreShift, rand);
  const out: DemoPrediction[] = [];
  for (let i = 0; i < shape.rows; i++) {
    const row = { ...(rand() < shape.drifted ? drifted() : validated()) };
    const u = rand();
    if (u < shape.occupationMissing) row.occupation = '';
    else if (u < shape.occupationMissing + shape.newOccupation) row.occupation = 'Gig-platform-work';
    out.push({
      predictionId: `${prefix}-${new Date(dayStart).toISOString().slice(0, 10)}-${i}`,
      at: dayStart + Math.floor((i * DAY) / shape.rows),
      label: row.label as string,
      row,
    });
  }
  return out;
}

/** A prediction log (CSV) of the given predictions: id, timestamp, the watched features, the score. */
export function predictionLog(preds: DemoPrediction[]): string {
  const header = ['prediction_id', 'timestamp', ...DEMO_FEATURES, 'score'];
  const lines = preds.map((p) =>
    [p.predictionId, new Date(p.at).toISOString(), ...DEMO_FEATURES.map((f) => p.row[f]), p.row.score].join(
      ',',
    ),
  );
  return `${header.join(',')}\n${lines.join('\n')}\n`;
}

/** The outcomes (CSV) of the given predictions: id and label. */
export function outcomeLog(preds: DemoPrediction[]): string {
  return `prediction_id,label\n${preds.map((p) => `${p.predictionId},${p.label}`).join('\n')}\n`;
}

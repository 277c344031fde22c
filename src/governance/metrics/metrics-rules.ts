import type { Metrics } from '../../contracts/metrics.ts';

const DAY = 86_400_000;

/** The median of numbers, or null for none. Pure. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** part / whole, or null when whole is 0. Pure. */
export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** Days between two ISO timestamps. Pure. */
export function daysBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / DAY;
}

/** Age buckets of open findings. Pure. */
export function ageBuckets(createdAt: readonly string[], now: Date): Metrics['findings']['byAge'] {
  const out = { d0_30: 0, d31_90: 0, d91_180: 0, d181plus: 0 };
  for (const c of createdAt) {
    const age = (now.getTime() - Date.parse(c)) / DAY;
    if (age <= 30) out.d0_30++;
    else if (age <= 90) out.d31_90++;
    else if (age <= 180) out.d91_180++;
    else out.d181plus++;
  }
  return out;
}

/** Whether evidence existed, was current and unexpired at `at`. Pure. */
export function evidenceValidAt(
  e: { created_at: string; valid_until: string | null; superseded_at: string | null },
  at: string,
): boolean {
  return (
    e.created_at <= at &&
    (e.valid_until === null || e.valid_until > at) &&
    (e.superseded_at === null || e.superseded_at > at)
  );
}

/** Flattens metrics to `metric,value` rows (acceptances as one row per acceptance and field). Pure. */
export function metricsRows(m: Metrics): { metric: string; value: unknown }[] {
  const rows: { metric: string; value: unknown }[] = [];
  const walk = (prefix: string, v: unknown): void => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => {
        walk(`${prefix}.${i}`, x);
      });
    } else rows.push({ metric: prefix, value: v ?? '' });
  };
  walk('', m);
  return rows;
}

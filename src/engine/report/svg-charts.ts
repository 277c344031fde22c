/** Inline SVG charts for the self-contained validation report (no scripts, no external assets). */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A number for display: null/NaN as an em dash, otherwise 4 significant digits. */
export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e6)) return value.toExponential(digits - 1);
  return String(Number(value.toPrecision(digits)));
}

/** One polyline of a line chart. */
export interface LineSeries {
  label: string;
  x: number[];
  y: number[];
  color: string;
  /** Draw points as dots too (e.g. a calibration curve). */
  dots?: boolean;
  /** Draw as a step function (precision–recall). */
  step?: boolean;
}

const W = 360;
const H = 300;
const PAD = { left: 48, right: 14, top: 14, bottom: 42 };

function sx(x: number): number {
  return PAD.left + x * (W - PAD.left - PAD.right);
}
function sy(y: number): number {
  return H - PAD.bottom - y * (H - PAD.top - PAD.bottom);
}
const clamp01 = (v: number) => Math.min(Math.max(v, 0), 1);

/** A line chart on the unit square (ROC, precision–recall, calibration). */
export function unitLineChart(options: {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  diagonal?: boolean;
}): string {
  const grid: string[] = [];
  for (let t = 0; t <= 1.0001; t += 0.25) {
    grid.push(
      `<line x1="${sx(t)}" y1="${sy(0)}" x2="${sx(t)}" y2="${sy(1)}" class="grid"/>`,
      `<line x1="${sx(0)}" y1="${sy(t)}" x2="${sx(1)}" y2="${sy(t)}" class="grid"/>`,
      `<text x="${sx(t)}" y="${sy(0) + 16}" text-anchor="middle" class="tick">${t}</text>`,
      `<text x="${sx(0) - 6}" y="${sy(t) + 4}" text-anchor="end" class="tick">${t}</text>`,
    );
  }
  const diagonal = options.diagonal
    ? `<line x1="${sx(0)}" y1="${sy(0)}" x2="${sx(1)}" y2="${sy(1)}" class="diagonal"/>`
    : '';
  const lines = options.series.map((s) => {
    const pts: string[] = [];
    for (let i = 0; i < Math.min(s.x.length, s.y.length); i++) {
      const x = clamp01(s.x[i] as number);
      const y = clamp01(s.y[i] as number);
      if (s.step && i > 0) pts.push(`${sx(x).toFixed(1)},${sy(clamp01(s.y[i - 1] as number)).toFixed(1)}`);
      pts.push(`${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
    }
    const dots = s.dots
      ? s.x
          .map(
            (x, i) =>
              `<circle cx="${sx(clamp01(x)).toFixed(1)}" cy="${sy(clamp01(s.y[i] as number)).toFixed(1)}" r="3" fill="${s.color}"/>`,
          )
          .join('')
      : '';
    return `<polyline points="${pts.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"/>${dots}`;
  });
  const legend = options.series
    .map(
      (s, i) =>
        `<rect x="${sx(0.55)}" y="${sy(0.2) + i * 16}" width="10" height="10" fill="${s.color}"/><text x="${sx(0.55) + 14}" y="${sy(0.2) + i * 16 + 9}" class="tick">${escapeHtml(s.label)}</text>`,
    )
    .join('');
  return `<figure class="chart"><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(options.title)}">
<rect x="${sx(0)}" y="${sy(1)}" width="${sx(1) - sx(0)}" height="${sy(0) - sy(1)}" class="frame"/>
${grid.join('')}${diagonal}${lines.join('')}${legend}
<text x="${(sx(0) + sx(1)) / 2}" y="${H - 6}" text-anchor="middle" class="axis">${escapeHtml(options.xLabel)}</text>
<text x="12" y="${(sy(0) + sy(1)) / 2}" text-anchor="middle" class="axis" transform="rotate(-90 12 ${(sy(0) + sy(1)) / 2})">${escapeHtml(options.yLabel)}</text>
</svg><figcaption>${escapeHtml(options.title)}</figcaption></figure>`;
}

/** Side-by-side bars of reference and current proportions per bin (drift histograms). */
export function pairedHistogram(options: {
  title: string;
  labels: string[];
  reference: number[];
  current: number[];
}): string {
  const w = 260;
  const h = 90;
  const k = Math.max(options.reference.length, options.current.length, 1);
  const max = Math.max(...options.reference, ...options.current, 1e-12);
  const slot = (w - 4) / k;
  const bar = Math.max(slot / 2 - 0.5, 0.5);
  const bars: string[] = [];
  for (let i = 0; i < k; i++) {
    const r = (options.reference[i] ?? 0) / max;
    const c = (options.current[i] ?? 0) / max;
    const label = escapeHtml(options.labels[i] ?? '');
    const x = 2 + i * slot;
    bars.push(
      `<rect x="${x.toFixed(2)}" y="${(h - 2 - r * (h - 6)).toFixed(2)}" width="${bar.toFixed(2)}" height="${(r * (h - 6)).toFixed(2)}" class="ref"><title>${label} reference ${formatNumber(options.reference[i] ?? 0)}</title></rect>`,
      `<rect x="${(x + bar).toFixed(2)}" y="${(h - 2 - c * (h - 6)).toFixed(2)}" width="${bar.toFixed(2)}" height="${(c * (h - 6)).toFixed(2)}" class="cur"><title>${label} current ${formatNumber(options.current[i] ?? 0)}</title></rect>`,
    );
  }
  return `<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${escapeHtml(options.title)}"><line x1="0" y1="${h - 2}" x2="${w}" y2="${h - 2}" class="grid"/>${bars.join('')}</svg>`;
}

import { escapeHtml as e, formatNumber as f } from './svg-charts.ts';

/** Inline SVG charts for model evidence (importance bars, partial dependence lines): no scripts. */

const W = 360;
const H = 240;
const PAD = { left: 52, right: 12, top: 12, bottom: 40 };

function scale(lo: number, hi: number, a: number, b: number): (v: number) => number {
  const span = hi - lo || 1;
  return (v) => a + ((v - lo) / span) * (b - a);
}

/** Lines on data ranges: a thick average and thin individual curves (PD + ICE). */
export function rangeLineChart(options: {
  title: string;
  xLabel: string;
  yLabel: string;
  x: number[];
  lines: { y: number[]; color: string; width: number }[];
  xTicks?: { value: number; label: string }[];
}): string {
  const ys = options.lines.flatMap((l) => l.y).filter(Number.isFinite);
  const xlo = Math.min(...options.x);
  const xhi = Math.max(...options.x);
  const ylo = Math.min(...ys);
  const yhi = Math.max(...ys);
  const sx = scale(xlo, xhi, PAD.left, W - PAD.right);
  const sy = scale(ylo, yhi, H - PAD.bottom, PAD.top);
  const paths = options.lines
    .map(
      (l) =>
        `<polyline points="${options.x.map((x, i) => `${sx(x).toFixed(1)},${sy(l.y[i] as number).toFixed(1)}`).join(' ')}" fill="none" stroke="${l.color}" stroke-width="${l.width}"/>`,
    )
    .join('');
  const xTicks = (options.xTicks ?? [xlo, (xlo + xhi) / 2, xhi].map((v) => ({ value: v, label: f(v, 3) })))
    .map(
      (t) =>
        `<text x="${sx(t.value)}" y="${H - PAD.bottom + 14}" text-anchor="middle" class="tick">${e(t.label)}</text>`,
    )
    .join('');
  const yTicks = [ylo, (ylo + yhi) / 2, yhi]
    .map((v) => `<text x="${PAD.left - 4}" y="${sy(v) + 4}" text-anchor="end" class="tick">${f(v, 3)}</text>`)
    .join('');
  return `<figure class="chart"><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${e(options.title)}">
<rect x="${PAD.left}" y="${PAD.top}" width="${W - PAD.left - PAD.right}" height="${H - PAD.top - PAD.bottom}" class="frame"/>
${paths}${xTicks}${yTicks}
<text x="${(PAD.left + W - PAD.right) / 2}" y="${H - 6}" text-anchor="middle" class="axis">${e(options.xLabel)}</text>
<text x="12" y="${H / 2}" text-anchor="middle" class="axis" transform="rotate(-90 12 ${H / 2})">${e(options.yLabel)}</text>
</svg><figcaption>${e(options.title)}</figcaption></figure>`;
}

/** Horizontal bars with optional ± error whiskers (importance). */
export function barChart(options: {
  title: string;
  bars: { label: string; value: number; error?: number }[];
}): string {
  const rowH = 18;
  const height = PAD.top + options.bars.length * rowH + 24;
  const width = 520;
  const left = 150;
  const max = Math.max(1e-12, ...options.bars.map((b) => Math.abs(b.value) + (b.error ?? 0)));
  const sx = scale(0, max, 0, width - left - 70);
  const rows = options.bars
    .map((b, i) => {
      const y = PAD.top + i * rowH;
      const w = Math.max(0, sx(Math.abs(b.value)));
      const whisker =
        b.error !== undefined && b.error > 0
          ? `<line x1="${left + sx(Math.max(0, Math.abs(b.value) - b.error))}" x2="${left + sx(Math.abs(b.value) + b.error)}" y1="${y + 7}" y2="${y + 7}" stroke="#333"/>`
          : '';
      return `<text x="${left - 6}" y="${y + 11}" text-anchor="end" class="tick">${e(b.label)}</text><rect x="${left}" y="${y + 2}" width="${w.toFixed(1)}" height="11" fill="${b.value < 0 ? '#c0392b' : '#2c7fb8'}"/>${whisker}<text x="${left + w + 6}" y="${y + 11}" class="tick">${f(b.value, 3)}</text>`;
    })
    .join('');
  return `<figure class="chart"><svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${e(options.title)}">${rows}</svg><figcaption>${e(options.title)}</figcaption></figure>`;
}

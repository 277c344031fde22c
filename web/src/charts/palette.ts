/** Series colours chosen to stay distinguishable for common colour-vision deficiencies (Okabe-Ito). */
export const SERIES_COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#6b6b6b'];

/** Colour for a severity; the order matches the findings board. */
export const SEVERITY_COLOURS: Record<string, string> = {
  critical: '#8f1d21',
  high: '#c2410c',
  medium: '#b7791f',
  low: '#4d7c0f',
};

/** A colour for the i-th series. */
export function seriesColour(i: number): string {
  return SERIES_COLOURS[i % SERIES_COLOURS.length]!;
}

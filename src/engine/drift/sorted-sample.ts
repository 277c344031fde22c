/**
 * The finite values of a numeric column in ascending order: either every value (`counts` null)
 * or its distinct values with their counts (see scan/numeric-column.ts for how they are read).
 */
export interface SortedSample {
  values: Float64Array;
  counts: Float64Array | null;
  n: number;
}

/** Sorts doubles ascending with an LSD radix sort on their order-preserving bit patterns (little-endian). */
export function sortFloat64(input: Float64Array): Float64Array {
  return sortFloat64With(input).values;
}

/**
 * Sorts doubles ascending (LSD radix sort on their order-preserving bit patterns, little-endian);
 * when given, `payload[i]` travels with `input[i]` (a stable sort: equal values keep their order).
 * The inputs are not modified.
 */
export function sortFloat64With(
  input: Float64Array,
  payload?: Uint8Array,
): { values: Float64Array; payload: Uint8Array | undefined } {
  const n = input.length;
  if (n < 4096) {
    const order = Array.from({ length: n }, (_, i) => i).sort(
      (x, y) => (input[x] as number) - (input[y] as number) || x - y,
    );
    return {
      values: Float64Array.from(order, (i) => input[i] as number),
      payload: payload ? Uint8Array.from(order, (i) => payload[i] as number) : undefined,
    };
  }
  const a = new Float64Array(input);
  const au = new Uint32Array(a.buffer);
  for (let i = 0; i < n; i++) {
    const hi = au[2 * i + 1] as number;
    if (hi & 0x80000000) {
      au[2 * i + 1] = ~hi >>> 0;
      au[2 * i] = ~(au[2 * i] as number) >>> 0;
    } else {
      au[2 * i + 1] = (hi | 0x80000000) >>> 0;
    }
  }
  const b = new Float64Array(n);
  let src = au;
  let dst = new Uint32Array(b.buffer);
  let srcP = payload ? Uint8Array.from(payload) : undefined;
  let dstP = payload ? new Uint8Array(n) : undefined;
  const histogram = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? 0 : 1;
    const shift = (pass % 2) * 16;
    histogram.fill(0);
    for (let i = 0; i < n; i++) {
      const digit = ((src[2 * i + word] as number) >>> shift) & 0xffff;
      histogram[digit] = (histogram[digit] as number) + 1;
    }
    // a pass where every key has the same digit changes nothing
    if ((histogram[((src[word] as number) >>> shift) & 0xffff] as number) === n) continue;
    let offset = 0;
    for (let d = 0; d < 65536; d++) {
      const c = histogram[d] as number;
      histogram[d] = offset;
      offset += c;
    }
    if (srcP && dstP) {
      for (let i = 0; i < n; i++) {
        const digit = ((src[2 * i + word] as number) >>> shift) & 0xffff;
        const pos = histogram[digit] as number;
        histogram[digit] = pos + 1;
        dst[2 * pos] = src[2 * i] as number;
        dst[2 * pos + 1] = src[2 * i + 1] as number;
        dstP[pos] = srcP[i] as number;
      }
      const tp = srcP;
      srcP = dstP;
      dstP = tp;
    } else {
      for (let i = 0; i < n; i++) {
        const digit = ((src[2 * i + word] as number) >>> shift) & 0xffff;
        const pos = histogram[digit] as number;
        histogram[digit] = pos + 1;
        dst[2 * pos] = src[2 * i] as number;
        dst[2 * pos + 1] = src[2 * i + 1] as number;
      }
    }
    const t = src;
    src = dst;
    dst = t;
  }
  for (let i = 0; i < n; i++) {
    const hi = src[2 * i + 1] as number;
    if (hi & 0x80000000) {
      src[2 * i + 1] = (hi & 0x7fffffff) >>> 0;
    } else {
      src[2 * i + 1] = ~hi >>> 0;
      src[2 * i] = ~(src[2 * i] as number) >>> 0;
    }
  }
  return { values: new Float64Array(src.buffer), payload: srcP };
}

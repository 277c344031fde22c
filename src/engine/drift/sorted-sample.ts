/**
 * The finite values of a numeric column in ascending order: either every value (`counts` null)
 * or its distinct values with their counts (see scan/numeric-column.ts for how they are read).
 */
export interface SortedSample {
  values: Float64Array;
  counts: Float64Array | null;
  n: number;
}

/** Number of ascending `sorted` values < x (binary search). */
export function countBelow(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of ascending `sorted` values ≤ x (binary search). */
export function countAtMost(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Working memory a caller can lend to repeated sorts (2 words per value, 1 byte per payload). */
export interface SortScratch {
  keys: Uint32Array;
  payload: Uint8Array;
}

/**
 * Sorts doubles ascending (LSD radix sort on their order-preserving bit patterns, little-endian);
 * when given, `payload[i]` travels with `input[i]` (a stable sort: equal values keep their order).
 * With `inPlace` the input arrays are used as working memory (and left scrambled); otherwise they
 * are not modified.
 */
export function sortFloat64With(
  input: Float64Array,
  payload?: Uint8Array,
  inPlace = false,
  scratch?: SortScratch,
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
  const a = inPlace ? input : new Float64Array(input);
  const au = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  // map each double to an unsigned key that sorts like the number, and count all four
  // 16-bit digits in the same pass
  const histograms = new Uint32Array(4 * 65536);
  for (let i = 0; i < n; i++) {
    let hi = au[2 * i + 1] as number;
    let lo = au[2 * i] as number;
    if (hi & 0x80000000) {
      hi = ~hi >>> 0;
      lo = ~lo >>> 0;
    } else {
      hi = (hi | 0x80000000) >>> 0;
    }
    au[2 * i + 1] = hi;
    au[2 * i] = lo;
    histograms[lo & 0xffff] = (histograms[lo & 0xffff] as number) + 1;
    histograms[65536 + (lo >>> 16)] = (histograms[65536 + (lo >>> 16)] as number) + 1;
    histograms[131072 + (hi & 0xffff)] = (histograms[131072 + (hi & 0xffff)] as number) + 1;
    histograms[196608 + (hi >>> 16)] = (histograms[196608 + (hi >>> 16)] as number) + 1;
  }
  let src: Uint32Array = au;
  // working memory: the caller's scratch when it is large enough (reused across sorts)
  let dst: Uint32Array =
    scratch && scratch.keys.length >= 2 * n ? scratch.keys.subarray(0, 2 * n) : new Uint32Array(2 * n);
  let srcP: Uint8Array | undefined = payload ? (inPlace ? payload : Uint8Array.from(payload)) : undefined;
  let dstP: Uint8Array | undefined = payload
    ? scratch && scratch.payload.length >= n
      ? scratch.payload.subarray(0, n)
      : new Uint8Array(n)
    : undefined;
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? 0 : 1;
    const shift = (pass % 2) * 16;
    const base = pass * 65536;
    // a pass where every key has the same digit changes nothing
    if ((histograms[base + (((src[word] as number) >>> shift) & 0xffff)] as number) === n) continue;
    let offset = 0;
    for (let d = base; d < base + 65536; d++) {
      const c = histograms[d] as number;
      histograms[d] = offset;
      offset += c;
    }
    if (srcP && dstP) {
      for (let i = 0; i < n; i++) {
        const digit = base + (((src[2 * i + word] as number) >>> shift) & 0xffff);
        const pos = histograms[digit] as number;
        histograms[digit] = pos + 1;
        dst[2 * pos] = src[2 * i] as number;
        dst[2 * pos + 1] = src[2 * i + 1] as number;
        dstP[pos] = srcP[i] as number;
      }
      const tp = srcP;
      srcP = dstP;
      dstP = tp;
    } else {
      for (let i = 0; i < n; i++) {
        const digit = base + (((src[2 * i + word] as number) >>> shift) & 0xffff);
        const pos = histograms[digit] as number;
        histograms[digit] = pos + 1;
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
  if (scratch && inPlace && src !== au) {
    // the result sits in the scratch: copy it back so that the scratch stays the caller's
    au.set(src);
    if (payload && srcP) payload.set(srcP);
    return { values: input, payload };
  }
  return { values: new Float64Array(src.buffer, src.byteOffset, n), payload: srcP };
}

/**
 * numpy's legacy `RandomState` (MT19937), as far as scikit-learn's permutation importance uses it:
 * seeding from an integer (init_genrand), `randint(2**31)` and `shuffle` of a 1-D array. Bit-exact
 * with numpy, so a seed gives the permutations scikit-learn applies.
 */
export class RandomState {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`a seed is an integer between 0 and 2**32 - 1, got ${seed}`);
    }
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = this.mt[i - 1] as number;
      const x = (prev ^ (prev >>> 30)) >>> 0;
      // 1812433253 * x + i (mod 2**32), without losing bits to floating point
      this.mt[i] =
        (((((x & 0xffff0000) >>> 16) * 1812433253) << 16) + (x & 0x0000ffff) * 1812433253 + i) >>> 0;
    }
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = ((mt[i] as number) & 0x80000000) | ((mt[(i + 1) % 624] as number) & 0x7fffffff);
      let v = (mt[(i + 397) % 624] as number) ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      mt[i] = v >>> 0;
    }
    this.index = 0;
  }

  /** The next 32-bit output. */
  nextUint32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `randint(2**31)`: numpy's masked rejection with mask 2**31 - 1 (never rejects). */
  randint31(): number {
    return this.nextUint32() & 0x7fffffff;
  }

  /** A uniform integer in [0, max] (numpy's `random_interval`, masked rejection). */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0;
    while (value > max);
    return value;
  }

  /** Shuffles in place as numpy's legacy `shuffle` does a 1-D array (Fisher–Yates from the end). */
  shuffle(values: Int32Array | number[]): void {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = values[i] as number;
      values[i] = values[j] as number;
      values[j] = t;
    }
  }
}

/**
 * The row permutations scikit-learn's `permutation_importance(random_state=seed)` applies to every
 * column: one seed drawn once (`randint(2**31)`) and reused for each column; per repeat the index
 * array is shuffled again in place.
 */
export function sklearnPermutations(
  seed: number,
  rows: number,
  repeats: number,
): { columnSeed: number; indices: Int32Array[] } {
  const columnSeed = new RandomState(seed).randint31();
  const rs = new RandomState(columnSeed);
  const idx = Int32Array.from({ length: rows }, (_, i) => i);
  const indices: Int32Array[] = [];
  for (let r = 0; r < repeats; r++) {
    rs.shuffle(idx);
    indices.push(idx.slice());
  }
  return { columnSeed, indices };
}

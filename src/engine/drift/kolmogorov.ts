/**
 * Kolmogorov–Smirnov distributions, following the algorithms SciPy uses so that p-values agree:
 * the exact two-sample lattice-path probabilities (Hodges; Viehmann's 1 − p recursion) and the
 * one-sample two-sided distribution `kstwo` (Simard & L'Ecuyer's choice of Ruben–Gambino,
 * Durbin matrix, Pelz–Good and Smirnov's one-sided sum).
 */

const SCALE_UP = 2 ** 128;
const SCALE_DOWN = 2 ** -128;
const MIN_LOG = -708;

function clip01(p: number): number {
  return p < 0 ? 0 : Math.min(p, 1);
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** Round half to even, as numpy.round. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** P(D_{n,n} ≥ h/n) for two samples of equal size n (Horner-like alternating sum). */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let term = 1;
    for (let j = 0; j < h; j++) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    p = term * (1 - p);
  }
  return 2 * p;
}

/** Proportion of lattice paths (0,0)→(m,n) leaving the band |x/m − y/n| < h/lcm (computes 1 − p directly). */
function probOutsideBand(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const column = new Float64Array(lenA).fill(1);
  for (let j = minj; j < maxj; j++) column[j] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = ((column[jj + minj - lastminj] as number) * i + val * j) / (i + j);
      column[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) column.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return column[maxj - minj - 1] as number;
}

/** Result of the two-sample KS p-value: the (possibly lattice-rounded) statistic, p and method. */
export interface KsPValue {
  statistic: number;
  pvalue: number;
  method: 'exact' | 'asymp';
}

/** Two-sided p-value of scipy.stats.ks_2samp(method='auto') for sizes n1, n2 and statistic d. */
export function ksTwoSamplePValue(n1: number, n2: number, d: number): KsPValue {
  let statistic = d;
  if (Math.max(n1, n2) <= 10000) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    statistic = h / lcm;
    if (h === 0) return { statistic, pvalue: 1, method: 'exact' };
    const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
    if (Number.isFinite(p) && p >= 0 && p <= 1) return { statistic, pvalue: p, method: 'exact' };
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  return { statistic, pvalue: clip01(kstwoSf(statistic, roundHalfEven(en))), method: 'asymp' };
}

/** Survival function of scipy.stats.kstwo (the exact distribution of D_n) at x. */
export function kstwoSf(x: number, n: number): number {
  if (x <= 0.5 / n) return 1;
  if (x >= 1) return 0;
  const t = n * x;
  if (t <= 1) {
    // Ruben–Gambino: only reachable for x ≤ 1/n
    const cdf =
      n <= 140
        ? productRange(n, (i) => (i / n) * (2 * t - 1))
        : Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    return clip01(1 - cdf);
  }
  if (t >= n - 1) return clip01(2 * (1 - x) ** n);
  if (x >= 0.5) return clip01(2 * smirnovSf(n, x));
  const nxx = t * x;
  if (n <= 140) {
    // SciPy uses Pomeranz for 0.754693 < n x² ≤ 4; the Durbin matrix is exact too, so it stands in.
    if (nxx <= 4) return clip01(1 - durbinCdf(n, x));
    return clip01(2 * smirnovSf(n, x));
  }
  if (nxx >= 370) return 0;
  if (nxx >= 2.2) return clip01(2 * smirnovSf(n, x));
  let cdf: number;
  if (nxx >= 18) cdf = 1;
  else if (n <= 100000 && n * x ** 1.5 <= 1.4) cdf = durbinCdf(n, x);
  else cdf = pelzGoodCdf(n, x);
  return clip01(1 - cdf);
}

function productRange(n: number, factor: (i: number) => number): number {
  let p = 1;
  for (let i = 1; i <= n; i++) p *= factor(i);
  return p;
}

// Stirling coefficients B2j / (2j (2j − 1)), highest order first.
const STIRLING = [-3617 / 122400, 1 / 156, -691 / 360360, 1 / 1188, -1 / 1680, 1 / 1260, -1 / 360, 1 / 12];

/** log(n! / n^n) by Stirling's series with n log n removed up front. */
function logFactorialOverPower(n: number): number {
  const rn = 1 / n;
  const z = rn / n;
  let poly = 0;
  for (const c of STIRLING) poly = poly * z + c;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + rn * poly;
}

function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k] as number;
      if (aik === 0) continue;
      for (let j = 0; j < m; j++)
        out[i * m + j] = (out[i * m + j] as number) + aik * (b[k * m + j] as number);
    }
  }
  return out;
}

/** P(D_n ≤ d) by the Durbin matrix (Marsaglia–Tsang–Wang), with explicit exponent tracking. */
function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const H = new Float64Array(m * m);
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - i + 1] as number;
  for (let r = 0; r < m; r++) H[r * m] = v[r] as number;
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c] as number;
  let power = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let base = H;
  let nn = n;
  let exponent = 0;
  let baseExponent = 0;
  while (nn > 0) {
    if (nn % 2) {
      power = matmul(power, base, m);
      exponent += baseExponent;
    }
    base = matmul(base, base, m);
    baseExponent *= 2;
    if (Math.abs(base[(k - 1) * m + (k - 1)] as number) > SCALE_UP) {
      for (let i = 0; i < base.length; i++) base[i] = (base[i] as number) / SCALE_UP;
      baseExponent += 128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = power[(k - 1) * m + (k - 1)] as number;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < SCALE_DOWN) {
      p *= SCALE_UP;
      exponent -= 128;
    }
  }
  if (exponent !== 0) p *= 2 ** exponent;
  return clip01(p);
}

/** Pelz–Good asymptotic approximation of P(D_n ≤ x). */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const pi2 = Math.PI ** 2;
  const pi4 = Math.PI ** 4;
  const pi6 = Math.PI ** 6;
  const qlog = -pi2 / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = pi2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * pi2) / 4;
  const k2c = (pi4 * (1 - 2 * z2)) / 16;
  const k3d = (pi6 * (5 - 30 * z2)) / 64;
  const k3c = (pi4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (pi2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qpower = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = (K[i] as number) * qpower + (coeffs[i] as number);
  }
  const sqrt2pi = Math.sqrt(2 * Math.PI);
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = ((K[i] as number) * q * sqrt2pi) / (divisors[i] as number);
  q = Math.exp(-pi2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qp = q ** k2;
    k2extra += k2 * qp;
    const kpi = Math.PI * k;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp;
  }
  K[2] = (K[2] as number) + (k2extra * pi2 * sqrt2pi) / (-36 * z2 * z);
  K[3] = (K[3] as number) + (k3extra * pi2 * sqrt2pi) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += (K[i] as number) / n ** (i / 2);
  return sum;
}

/** Smirnov's one-sided survival function P(D_n⁺ ≥ x) (scipy.special.smirnov), Birnbaum–Tingey sum. */
export function smirnovSf(n: number, x: number): number {
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = n * x;
  const nxfl = Math.floor(nx);
  if (nxfl === 0 || (nx === 1 && nxfl === 1)) return 1 - x * (1 + x) ** (n - 1);
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (nxfl >= n - 1) return (1 - x) ** n;
  if (n > 1000000) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp);
  }
  // sf = x Σ_{v=0}^{⌊n(1−x)⌋} C(n,v) a^(v−1) (1 − a)^(n−v) with a = x + v/n. The log of each term
  // is advanced by its (moderate) log-ratio to the previous one, Kahan-summed, because the direct
  // logs are ~1e5 in size and would lose ~1e-10 to rounding when n is large.
  const lastV = n - Math.ceil(nx);
  const logs = new Float64Array(lastV + 1);
  let logTerm = n * Math.log1p(-x) - Math.log(x);
  let compensation = 0;
  let maxLog = logTerm;
  logs[0] = logTerm;
  for (let v = 0; v < lastV; v++) {
    const a = x + v / n;
    const b = (n - v) / n - x;
    const aNext = x + (v + 1) / n;
    const bNext = (n - v - 1) / n - x;
    if (bNext <= 0) {
      logs.fill(Number.NEGATIVE_INFINITY, v + 1);
      break;
    }
    const step =
      Math.log((n - v) / (v + 1)) +
      Math.log(aNext) +
      (v - 1) * Math.log1p(1 / n / a) -
      Math.log(bNext) +
      (n - v) * Math.log1p(-1 / n / b);
    const y = step - compensation;
    const t = logTerm + y;
    compensation = t - logTerm - y;
    logTerm = t;
    logs[v + 1] = logTerm;
    if (logTerm > maxLog) maxLog = logTerm;
  }
  let sum = 0;
  for (let v = 0; v <= lastV; v++) sum += Math.exp((logs[v] as number) - maxLog);
  return clip01(x * sum * Math.exp(maxLog));
}

/**
 * Seeded pseudo-random numbers, so every Monte Carlo, permutation test and bootstrap is
 * reproducible from its seed. mulberry32 (Tommy Ettinger): 32-bit state, passes
 * PractRand to 2^32 outputs — ample for permutations of ≤ 1e5 cells.
 */
export type Rng = () => number;

/** Uniform [0, 1) generator from a 32-bit integer seed. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [0, n). */
export function randInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Standard normal draw (Box–Muller; the second value is discarded for simplicity). */
export function randNormal(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Gamma(shape, 1) draw, Marsaglia & Tsang (2000); shape < 1 via the boost u^(1/shape). */
export function randGamma(rng: Rng, shape: number): number {
  if (shape < 1) return randGamma(rng, shape + 1) * Math.pow(rng() || Number.MIN_VALUE, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = randNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** In-place Fisher–Yates shuffle of the first `n` entries of `a` (all by default). */
export function shuffle<T extends { length: number; [i: number]: unknown }>(rng: Rng, a: T, n = a.length): T {
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

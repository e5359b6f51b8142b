// Seeded random numbers for made-up data that must come out the same on every run: the benchmarks' data
// (bench/) and the demo's history (prisma/demoHistory.ts). Never for anything that must not be guessed.

/** mulberry32: a small seeded PRNG, so every run draws the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * mulberry32: a tiny, well-mixed 32-bit PRNG; the same seed gives the same numbers everywhere.
 * Seeds the iris training and the bench models. Kept apart from the model builders so the
 * bench's child-process bundles do not import protobufjs.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

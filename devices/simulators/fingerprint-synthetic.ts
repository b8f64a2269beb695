/**
 * Synthetic fingerprints for the simulated modules: deterministic from a seed, plausible
 * enough to look like a finger on the glass (dark curved ridges about 0.45 mm apart on an
 * oval pad, light noisy glass around it) and to score like one with the quality measure.
 * Not a biometric: no minutiae, nothing that matches anyone.
 */

/** A small deterministic generator (mulberry32): the same seed gives the same finger on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 8-bit grey, row by row, 0 black (ridge) to 255 white (glass). */
export function syntheticFingerprint(width: number, height: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  // The core the ridges loop around, a little off centre; the ridge period in pixels; how much the loops bend.
  const coreX = width * (0.42 + 0.16 * random());
  const coreY = height * (0.35 + 0.15 * random());
  const period = 8 + 2 * random();
  const bend = 0.8 + 1.2 * random();
  // The pad: an oval a little below the middle of the window.
  const padX = width / 2;
  const padY = height * 0.53;
  const radiusX = width * 0.42;
  const radiusY = height * 0.45;
  const pixels = new Uint8Array(width * height);
  // A gentle warp, so that no two ridges run quite parallel.
  const warpX = 20 + 15 * random();
  const warpY = 25 + 15 * random();
  const warpShift = 2 * Math.PI * random();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x - coreX;
      const dy = (y - coreY) * 1.25;
      const angle = Math.atan2(dy, dx);
      // Loops round the core above it, flattening into shallow arches below it, as on most fingers.
      const below = Math.min(1, (1.5 * Math.max(0, y - coreY)) / height);
      const distance = Math.hypot(dx, dy) * (1 - below) + (dy + 0.35 * Math.hypot(dx, 4 * period)) * below;
      const warp = 2.6 * Math.sin(x / warpX + warpShift) + 2.2 * Math.cos(y / warpY - warpShift);
      const phase = (2 * Math.PI * distance) / period + bend * Math.sin(angle) * Math.min(1, distance / (3 * period)) + warp;
      const ridge = 0.5 + 0.5 * Math.cos(phase);
      const oval = ((x - padX) / radiusX) ** 2 + ((y - padY) / radiusY) ** 2;
      const onPad = Math.min(1, Math.max(0, (1 - oval) / 0.08));
      const finger = 40 + 170 * (1 - ridge) + (random() - 0.5) * 12;
      const glass = 235 + (random() - 0.5) * 16;
      pixels[y * width + x] = Math.round(Math.min(255, Math.max(0, glass * (1 - onPad) + finger * onPad)));
    }
  }
  return pixels;
}

/** A module's template stand-in: a fixed header, then seeded bytes. */
export function syntheticTemplate(length: number, seed: number): Uint8Array {
  const random = seededRandom(seed ^ 0x5eed);
  const template = new Uint8Array(length);
  for (let i = 0; i < length; i++) template[i] = Math.floor(random() * 256);
  template.set([0x03, 0x01].slice(0, length), 0);
  return template;
}

/** Bytes of line noise. */
export function noise(length: number, random: () => number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

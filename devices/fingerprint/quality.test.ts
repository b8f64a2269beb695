import { describe, expect, it } from 'vitest';
import { syntheticFingerprint } from '../simulators/fingerprint-synthetic';
import type { FingerImage } from '../types';
import { imageQuality } from './quality';

const image = (width: number, height: number, pixels: Uint8Array): FingerImage => ({ width, height, pixels, dpi: 500 });
const finger = (): Uint8Array => syntheticFingerprint(256, 288, 7);

describe('block-contrast quality', () => {
  it('scores empty glass 0', () => {
    expect(imageQuality(image(256, 288, new Uint8Array(256 * 288).fill(235)))).toBe(0);
  });

  it('scores a whole, clear finger high', () => {
    expect(imageQuality(image(256, 288, finger()))).toBeGreaterThanOrEqual(90);
  });

  it('scores a finger covering only the top of the window lower', () => {
    const top = finger();
    top.fill(235, 256 * 100);
    const score = imageQuality(image(256, 288, top));
    expect(score).toBeGreaterThan(0);
    expect(score).toBeLessThan(70);
  });

  it('scores faint ridges (a dry finger) lower than clear ones', () => {
    const faint = finger().map((grey) => Math.round(128 + (grey - 128) * 0.3));
    const score = imageQuality(image(256, 288, faint));
    expect(score).toBeLessThan(60);
    expect(score).toBeGreaterThan(0);
  });

  it('scores an image smaller than one block 0 rather than failing', () => {
    expect(imageQuality(image(8, 8, new Uint8Array(64)))).toBe(0);
  });
});

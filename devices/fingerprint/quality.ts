import type { FingerImage } from '../types';

/**
 * An image quality measure for modules that give none (the ZFM family and the GT-521Fxx
 * both hand over images and templates, never a score). It answers two questions an
 * officer can act on: is there enough finger on the glass, and are its ridges clear?
 *
 * The image is cut into 16×16 blocks. A block shows ridges when its grey levels spread
 * (standard deviation) by at least RIDGE_SPREAD: flat glass, a smudge or a washed-out
 * patch does not. Then
 *
 *   coverage = ridge blocks ÷ all blocks          (a finger covers about 60% of the window)
 *   contrast = mean spread of the ridge blocks    (clear ridges: 50 grey levels and more)
 *   quality  = 100 × min(1, coverage ÷ 0.6) × min(1, contrast ÷ 50), rounded
 *
 * It does not judge ridge structure: noise with enough spread scores well. Good enough to
 * ask for "press a little harder" or "put the finger flat", not to predict matching.
 */
export const QUALITY_METHOD = 'block-contrast-v1';

const BLOCK = 16;
const RIDGE_SPREAD = 16;
const FULL_COVERAGE = 0.6;
const FULL_CONTRAST = 50;

export function imageQuality(image: FingerImage): number {
  const columns = Math.floor(image.width / BLOCK);
  const rows = Math.floor(image.height / BLOCK);
  if (columns === 0 || rows === 0) return 0;
  let ridgeBlocks = 0;
  let spreadSum = 0;
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const spread = blockSpread(image, column * BLOCK, row * BLOCK);
      if (spread < RIDGE_SPREAD) continue;
      ridgeBlocks++;
      spreadSum += spread;
    }
  }
  if (ridgeBlocks === 0) return 0;
  const coverage = ridgeBlocks / (columns * rows);
  const contrast = spreadSum / ridgeBlocks;
  return Math.round(100 * Math.min(1, coverage / FULL_COVERAGE) * Math.min(1, contrast / FULL_CONTRAST));
}

/** Standard deviation of the grey levels in one block. */
function blockSpread(image: FingerImage, left: number, top: number): number {
  let sum = 0;
  let squares = 0;
  for (let y = top; y < top + BLOCK; y++) {
    const rowStart = y * image.width;
    for (let x = left; x < left + BLOCK; x++) {
      const grey = image.pixels[rowStart + x]!;
      sum += grey;
      squares += grey * grey;
    }
  }
  const count = BLOCK * BLOCK;
  const mean = sum / count;
  return Math.sqrt(Math.max(0, squares / count - mean * mean));
}

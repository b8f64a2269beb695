import { crc32, deflateSync } from 'node:zlib';
import type { FingerImage } from '../types';

/**
 * A finger image as a standard PNG (ISO/IEC 15948): signature, IHDR (8-bit greyscale,
 * colour type 0), pHYs when the resolution is known, one IDAT (zlib, node:zlib), IEND.
 * Every scanline uses filter 0 (None): fingerprint ridges gain little from prediction, and
 * the file stays trivially checkable. CRC-32 from node:zlib (Node ≥ 20.15).
 */

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const INCHES_PER_METRE = 1 / 0.0254;

export function encodeGreyscalePng(image: FingerImage): Uint8Array {
  const { width, height, pixels } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 0x7fffffff || height > 0x7fffffff) {
    throw new RangeError(`A PNG needs a positive whole width and height, not ${width}×${height}.`);
  }
  if (pixels.length !== width * height) throw new RangeError(`A ${width}×${height} image has ${width * height} pixels, not ${pixels.length}.`);

  const header = new Uint8Array(13);
  const headerView = new DataView(header.buffer);
  headerView.setUint32(0, width);
  headerView.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = 0; // colour type: greyscale
  // compression 0 (deflate), filter method 0, no interlace: already zero.

  const scanlines = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y++) scanlines.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);

  const chunks = [chunk('IHDR', header)];
  if (image.dpi !== null && image.dpi > 0) chunks.push(chunk('pHYs', physicalSize(image.dpi)));
  chunks.push(chunk('IDAT', deflateSync(scanlines)), chunk('IEND', new Uint8Array(0)));

  const png = new Uint8Array(SIGNATURE.length + chunks.reduce((total, part) => total + part.length, 0));
  png.set(SIGNATURE, 0);
  let at = SIGNATURE.length;
  for (const part of chunks) {
    png.set(part, at);
    at += part.length;
  }
  return png;
}

/** length (4) | type (4) | data | CRC-32 of type and data (4). */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(12 + data.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, data.length);
  bytes.set(Buffer.from(type, 'latin1'), 4);
  bytes.set(data, 8);
  view.setUint32(8 + data.length, crc32(bytes.subarray(4, 8 + data.length)));
  return bytes;
}

/** Pixels per metre on both axes, unit 1 (metre). */
function physicalSize(dpi: number): Uint8Array {
  const data = new Uint8Array(9);
  const view = new DataView(data.buffer);
  const perMetre = Math.round(dpi * INCHES_PER_METRE);
  view.setUint32(0, perMetre);
  view.setUint32(4, perMetre);
  data[8] = 1;
  return data;
}

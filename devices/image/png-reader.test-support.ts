import { inflateSync } from 'node:zlib';

/**
 * A strict reader for the PNGs encodeGreyscalePng writes, for tests: checks the
 * signature, every chunk's CRC (with its own table, independent of node:zlib), the chunk
 * order, IHDR, and that every scanline has filter 0; returns the pixels.
 */
export interface ReadPng {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  chunkTypes: string[];
  filterTypes: number[];
  pixels: Uint8Array;
  pixelsPerMetre: number | null;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32Reference(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function readGreyscalePng(png: Uint8Array): ReadPng {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((byte, i) => png[i] === byte)) throw new Error('not a PNG signature');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunkTypes: string[] = [];
  const idat: Uint8Array[] = [];
  let header: DataView | null = null;
  let pixelsPerMetre: number | null = null;
  let at = 8;
  while (at < png.length) {
    const length = view.getUint32(at);
    const type = Buffer.from(png.subarray(at + 4, at + 8)).toString('latin1');
    const data = png.subarray(at + 8, at + 8 + length);
    const crc = view.getUint32(at + 8 + length);
    if (crc32Reference(png.subarray(at + 4, at + 8 + length)) !== crc) throw new Error(`bad CRC on ${type}`);
    chunkTypes.push(type);
    if (type === 'IHDR') header = new DataView(data.buffer, data.byteOffset, data.byteLength);
    if (type === 'IDAT') idat.push(data);
    if (type === 'pHYs') {
      const phys = new DataView(data.buffer, data.byteOffset, data.byteLength);
      if (phys.getUint32(0) !== phys.getUint32(4) || data[8] !== 1) throw new Error('pHYs not square in metres');
      pixelsPerMetre = phys.getUint32(0);
    }
    at += 12 + length;
    if (type === 'IEND' && at !== png.length) throw new Error('bytes after IEND');
  }
  if (chunkTypes[0] !== 'IHDR' || chunkTypes.at(-1) !== 'IEND') throw new Error(`chunks out of order: ${chunkTypes.join(',')}`);
  const width = header!.getUint32(0);
  const height = header!.getUint32(4);
  const raw = inflateSync(Buffer.concat(idat));
  if (raw.length !== height * (width + 1)) throw new Error(`IDAT holds ${raw.length} bytes, not ${height * (width + 1)}`);
  const filterTypes: number[] = [];
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    filterTypes.push(raw[y * (width + 1)]!);
    pixels.set(raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)), y * width);
  }
  return {
    width,
    height,
    bitDepth: header!.getUint8(8),
    colourType: header!.getUint8(9),
    chunkTypes,
    filterTypes,
    pixels,
    pixelsPerMetre,
  };
}

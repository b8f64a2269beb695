import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeGreyscalePng } from './png';
import { crc32Reference, readGreyscalePng } from './png-reader.test-support';

const gradient = (width: number, height: number): Uint8Array => Uint8Array.from({ length: width * height }, (_, i) => (i * 7 + Math.floor(i / width) * 13) & 0xff);

describe('greyscale PNG', () => {
  it('writes signature, IHDR (8-bit greyscale), IDAT and IEND with correct CRCs, and decodes back to the same pixels', () => {
    const pixels = gradient(37, 11);
    const read = readGreyscalePng(encodeGreyscalePng({ width: 37, height: 11, pixels, dpi: null }));
    expect(read).toMatchObject({ width: 37, height: 11, bitDepth: 8, colourType: 0, chunkTypes: ['IHDR', 'IDAT', 'IEND'], pixelsPerMetre: null });
    expect(read.filterTypes).toEqual(new Array(11).fill(0));
    expect(read.pixels).toEqual(pixels);
  });

  it('records the resolution in pHYs when the module gives it (500 dpi is 19 685 pixels a metre)', () => {
    const read = readGreyscalePng(encodeGreyscalePng({ width: 2, height: 2, pixels: Uint8Array.of(0, 85, 170, 255), dpi: 500 }));
    expect(read.chunkTypes).toEqual(['IHDR', 'pHYs', 'IDAT', 'IEND']);
    expect(read.pixelsPerMetre).toBe(19685);
  });

  it('starts with the PNG signature and IHDR of 13 bytes', () => {
    const png = encodeGreyscalePng({ width: 1, height: 1, pixels: Uint8Array.of(128), dpi: null });
    expect(Buffer.from(png.subarray(0, 16)).toString('hex')).toBe('89504e470d0a1a0a0000000d49484452');
  });

  it("uses a CRC-32 that agrees with the reference table (the check the reader makes is not node:zlib's own)", () => {
    for (const text of ['', 'IEND', '123456789']) expect(crc32Reference(Buffer.from(text))).toBe(crc32(Buffer.from(text)));
    expect(crc32Reference(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('is caught by the reader when a byte is damaged', () => {
    const png = encodeGreyscalePng({ width: 4, height: 4, pixels: gradient(4, 4), dpi: null });
    png[20]! ^= 0x01;
    expect(() => readGreyscalePng(png)).toThrow(/bad CRC on IHDR/);
  });

  it('refuses pixels that do not fill the image, and empty images', () => {
    expect(() => encodeGreyscalePng({ width: 3, height: 3, pixels: new Uint8Array(8), dpi: null })).toThrow(RangeError);
    expect(() => encodeGreyscalePng({ width: 0, height: 3, pixels: new Uint8Array(0), dpi: null })).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { misreadKey, normaliseDocumentNumber } from './document-number';

describe('document numbers', () => {
  it.each([
    ['AB 123 456', 'AB123456'],
    ['ab123456', 'AB123456'],
    ['AB123456<<<', 'AB123456'],
    ['AB-123.456/7', 'AB1234567'],
  ])('reads %j as %s', (written, normalised) => {
    expect(normaliseDocumentNumber(written)).toBe(normalised);
  });

  it('gives numbers a reader could confuse one key', () => {
    expect(misreadKey('AB1O2345')).toBe(misreadKey('A8102345'));
    expect(misreadKey('C0I2S8')).toBe(misreadKey('COIZSB'));
    expect(misreadKey('C01234')).not.toBe(misreadKey('C01235'));
  });
});

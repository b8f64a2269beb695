import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildMrz } from './build';
import type { MrzBuildInput } from './build';
import { parseMrz } from './parse';
import type { MrzFormat } from './types';

const specimenFile = z.object({
  specimens: z.array(
    z.object({
      name: z.string(),
      format: z.enum(['TD1', 'TD2', 'TD3', 'MRV-A', 'MRV-B']),
      lines: z.array(z.string()),
      expect: z.record(z.string(), z.string()),
    }),
  ),
});

const { specimens } = specimenFile.parse(
  JSON.parse(readFileSync(new URL('./fixtures/specimens.json', import.meta.url), 'utf8')),
);

// Specimen expiry dates lie in the past of any "today" after 2017; the century rule handles that.
const today = new Date(2025, 5, 1);

describe('ICAO specimens', () => {
  it('covers every format', () => {
    expect(new Set(specimens.map((s) => s.format))).toEqual(new Set<MrzFormat>(['TD1', 'TD2', 'TD3', 'MRV-A', 'MRV-B']));
  });

  it.each(specimens)('reads $name to its printed fields', (specimen) => {
    const result = parseMrz(specimen.lines, { today });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { document } = result;
    expect(document.format).toBe(specimen.format);
    expect(document.valid).toBe(true);
    expect(document.corrections).toEqual([]);
    expect(document.warnings).toEqual([]);
    const fields: Record<string, unknown> = { ...document.fields };
    for (const [field, value] of Object.entries(specimen.expect)) {
      expect({ field, value: fields[field] }).toEqual({ field, value });
    }
  });

  it.each(specimens)('lays out $name again from its fields, character for character', (specimen) => {
    const parsed = parseMrz(specimen.lines, { today });
    if (!parsed.ok) throw new Error(parsed.error.message);
    const { fields } = parsed.document;
    const input: MrzBuildInput = {
      ...fields,
      format: specimen.format,
      birthDate: fields.birthDate ?? '',
      expiryDate: fields.expiryDate ?? '',
      sex: fields.sex ?? 'unspecified',
    };
    expect(buildMrz(input)).toEqual({ ok: true, lines: specimen.lines });
  });

  it('reads visa specimens without a composite check digit, as ICAO 9303 Part 7 has none', () => {
    for (const specimen of specimens.filter((s) => s.format.startsWith('MRV'))) {
      const result = parseMrz(specimen.lines, { today });
      if (!result.ok) throw new Error(result.error.message);
      expect(result.document.checks.map((c) => c.name)).not.toContain('compositeCheckDigit');
    }
  });

  it('keeps the printed two-digit-year dates beside the ISO ones', () => {
    const result = parseMrz(specimens[0]?.lines, { today });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.document.raw).toEqual({ birthDate: '740812', expiryDate: '120415' });
  });
});

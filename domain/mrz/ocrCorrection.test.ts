import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMrz } from './build';
import { guardedFields } from './guardedFields';
import { LAYOUTS } from './layouts';
import { parseMrz } from './parse';
import { mrzDocumentArbitrary } from './synthetic.arbitrary';
import type { MrzDocument } from './types';

const today = new Date(2025, 5, 1);
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const MRV_A = ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L8988901C4XXX4009078F96121096ZE184226B<<<<<<'];

function read(lines: readonly string[]): MrzDocument {
  const result = parseMrz(lines, { today });
  if (!result.ok) throw new Error(result.error.message);
  return result.document;
}

function withLowerLine(lines: readonly string[], replace: (line: string) => string): string[] {
  return [lines[0] ?? '', replace(lines[1] ?? '')];
}

const LOOK_ALIKE: Readonly<Record<string, string>> = {
  '0': 'O', O: '0', '1': 'I', I: '1', '2': 'Z', Z: '2', '5': 'S', S: '5', '8': 'B', B: '8', '6': 'G', G: '6',
};

describe('OCR correction', () => {
  it('turns a letter O in a birth date back into 0, and says where', () => {
    const document = read(withLowerLine(TD3, (l) => l.replace('740812', '74O812')));
    expect(document.valid).toBe(true);
    expect(document.fields.birthDate).toBe('1974-08-12');
    expect(document.corrections).toEqual([
      { field: 'birthDate', line: 2, position: 16, from: 'O', to: '0', confirmedByComposite: true },
    ]);
  });

  it('turns a letter in a check digit back into its digit', () => {
    const document = read(withLowerLine(TD3, (l) => l.replace('L898902C36', 'L898902C3G')));
    expect(document.valid).toBe(true);
    expect(document.corrections).toMatchObject([{ field: 'documentNumber', line: 2, position: 10, from: 'G', to: '6' }]);
  });

  it('corrects several dates at once', () => {
    const document = read(withLowerLine(TD3, (l) => l.replace('7408122F120415', '74O8IZ2FIZO4IS')));
    expect(document.valid).toBe(true);
    expect(document.fields).toMatchObject({ birthDate: '1974-08-12', expiryDate: '2012-04-15' });
    expect(document.corrections).toHaveLength(8);
  });

  it('swaps a look-alike in the document number when it is the one reading the check digit accepts', () => {
    const document = read(withLowerLine(TD3, (l) => l.replace('L898902C3', 'L8989O2C3')));
    expect(document.valid).toBe(true);
    expect(document.fields.documentNumber).toBe('L898902C3');
    // The composite weighs the TD3 document number exactly as its own check digit does: no added evidence.
    expect(document.corrections).toEqual([
      { field: 'documentNumber', line: 2, position: 6, from: 'O', to: '0', confirmedByComposite: false },
    ]);
  });

  it('leaves a field with several validating readings as read, invalid, and lists them', () => {
    const document = read(withLowerLine(TD3, (l) => l.replace('L898902C3', 'LB98902C3')));
    expect(document.valid).toBe(false);
    expect(document.fields.documentNumber).toBe('LB98902C3');
    expect(document.corrections).toEqual([]);
    expect(document.warnings).toMatchObject([
      { code: 'AMBIGUOUS_CORRECTION', field: 'documentNumber', message: expect.stringContaining('L898902C3') },
    ]);
    expect(document.checks.find((c) => c.name === 'documentNumberCheckDigit')?.ok).toBe(false);
  });

  it('does not bend the data to a misread check digit, which explains the failure as well as any swap', () => {
    const document = read(withLowerLine(TD3, (l) => l.replace('L898902C36', 'L898902C37')));
    expect(document.valid).toBe(false);
    expect(document.fields.documentNumber).toBe('L898902C3');
    expect(document.corrections).toEqual([]);
    expect(document.warnings).toMatchObject([{ code: 'AMBIGUOUS_CORRECTION', message: expect.stringContaining('check digit misread') }]);
  });

  it('refuses a swap the composite does not confirm', () => {
    // Damage both the document number's check digit and the composite: no reading satisfies both.
    const document = read(withLowerLine(TD3, (l) => l.replace('L898902C36', 'L898902C37').replace(/0$/, '9')));
    expect(document.corrections).toEqual([]);
    expect(document.warnings.map((w) => w.code)).toEqual(['UNCONFIRMED_CORRECTION']);
  });

  it('applies a single validating swap on a visa, which has no composite, as unconfirmed', () => {
    const document = read(withLowerLine(MRV_A, (l) => l.replace('L8988901C', 'L89889O1C')));
    expect(document.fields.documentNumber).toBe('L8988901C');
    expect(document.corrections).toEqual([
      { field: 'documentNumber', line: 2, position: 7, from: 'O', to: '0', confirmedByComposite: false },
    ]);
  });

  it('never touches a field whose check digit passes', () => {
    expect(read(TD3).corrections).toEqual([]);
  });

  it('cannot see 6 read as G in an alphanumeric field: both weigh the same modulo 10', () => {
    const document = read(withLowerLine(TD3, (l) => l.replace('ZE184226B', 'ZE18422GB')));
    expect(document.valid).toBe(true);
    expect(document.fields.personalNumber).toBe('ZE18422GB');
  });

  it('never changes the data to fit a check digit misread as another digit', () => {
    const damage = mrzDocumentArbitrary(['TD1', 'TD2', 'TD3'], today).chain((input) => {
      const built = buildMrz(input);
      if (!built.ok) throw new Error(built.error.message);
      const text = built.lines.join('');
      const checks = guardedFields(text, LAYOUTS[input.format]).map((g) => g.check).filter((at) => /\d/.test(text.charAt(at)));
      return fc.record({ lines: fc.constant(built.lines), at: fc.constantFrom(...checks), shift: fc.integer({ min: 1, max: 9 }) });
    });
    fc.assert(
      fc.property(damage, ({ lines, at, shift }) => {
        const text = lines.join('');
        const digit = String((Number(text.charAt(at)) + shift) % 10);
        const damaged = text.slice(0, at) + digit + text.slice(at + 1);
        const length = lines[0]?.length ?? 0;
        const document = read(lines.map((_, i) => damaged.slice(i * length, (i + 1) * length)));
        expect(document.valid).toBe(false);
        expect(document.corrections).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('never accepts a single injected confusion as different data: corrects it back or reports it', () => {
    const injection = mrzDocumentArbitrary(undefined, today)
      .map((input) => {
        const built = buildMrz(input);
        if (!built.ok) throw new Error(built.error.message);
        const layout = LAYOUTS[input.format];
        const text = built.lines.join('');
        const places = guardedFields(text, layout).flatMap((g) => [
          ...g.segments.flatMap((s) => Array.from({ length: s.end - s.start }, (_, i) => ({ offset: s.start + i, alphanumeric: !g.numericOnly }))),
          { offset: g.check, alphanumeric: false },
        ]);
        const confusable = places.filter(({ offset, alphanumeric }) => {
          const character = text.charAt(offset);
          // The 6/G limit, covered by its own test above.
          return LOOK_ALIKE[character] !== undefined && !(alphanumeric && (character === '6' || character === 'G'));
        });
        return { built: built.lines, layout, text, confusable };
      })
      .filter(({ confusable }) => confusable.length > 0)
      .chain((zone) => fc.record({ zone: fc.constant(zone), place: fc.constantFrom(...zone.confusable) }));

    fc.assert(
      fc.property(injection, ({ zone, place }) => {
        const original = read(zone.built);
        const character = zone.text.charAt(place.offset);
        const injected = zone.text.slice(0, place.offset) + (LOOK_ALIKE[character] ?? '') + zone.text.slice(place.offset + 1);
        const lines = [];
        for (let i = 0; i < injected.length; i += zone.layout.lineLength) lines.push(injected.slice(i, i + zone.layout.lineLength));
        const document = read(lines);
        if (document.valid) {
          expect(document.fields).toEqual(original.fields);
          expect(document.corrections.length).toBeGreaterThan(0);
        } else {
          const failed = document.checks.filter((c) => !c.ok).map((c) => c.name);
          expect(failed.some((name) => name.endsWith('CheckDigit'))).toBe(true);
        }
      }),
      { numRuns: 1500 },
    );
  });
});

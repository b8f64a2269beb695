import { describe, expect, it } from 'vitest';
import { buildMrz } from './build';
import type { MrzBuildInput } from './build';

const card: MrzBuildInput = {
  format: 'TD1',
  documentCode: 'ID',
  issuingState: 'BIH',
  surname: "O'Neil-Quarr",
  givenNames: 'Zeta',
  documentNumber: 'QX1234567',
  nationality: 'BIH',
  birthDate: '1990-05-17',
  sex: 'M',
  expiryDate: '2031-05-16',
  optionalData: '',
  optionalData2: '',
};

describe('laying out a zone', () => {
  it('spells names as ICAO does: upper case, hyphens and spaces as fillers, apostrophes dropped', () => {
    const built = buildMrz(card);
    expect(built.ok && built.lines[2]).toBe('ONEIL<QUARR<<ZETA<<<<<<<<<<<<<');
  });

  it('cuts a name longer than its field at the field end, as a real document does', () => {
    const built = buildMrz({ ...card, surname: 'Q'.repeat(25), givenNames: 'Zeta Mira' });
    expect(built.ok && built.lines[2]).toBe(`${'Q'.repeat(25)}<<ZET`);
  });

  it.each<[string, Partial<MrzBuildInput>, string, keyof MrzBuildInput]>([
    ['a name with letters outside A-Z', { surname: 'Čolić' }, 'BAD_CHARACTERS', 'surname'],
    ['a date that is not ISO', { birthDate: '17.05.1990' }, 'BAD_DATE', 'birthDate'],
    ['a partial expiry date', { expiryDate: '2031-05' }, 'BAD_DATE', 'expiryDate'],
    ['optional data too long for the field', { optionalData: 'A'.repeat(16) }, 'FIELD_TOO_LONG', 'optionalData'],
    ['a continued number that leaves no room', { documentNumber: 'A'.repeat(23) }, 'FIELD_TOO_LONG', 'documentNumber'],
    ['a personal number on a card', { personalNumber: '123' }, 'FIELD_NOT_IN_FORMAT', 'personalNumber'],
    ['a sex ICAO does not know', { sex: 'Q' as MrzBuildInput['sex'] }, 'BAD_CHARACTERS', 'sex'],
  ])('refuses %s', (_case, change, code, field) => {
    expect(buildMrz({ ...card, ...change })).toMatchObject({ ok: false, error: { code, field } });
  });

  it('refuses a passport number longer than 9 characters: only TD1 and TD2 can continue one', () => {
    const passport: MrzBuildInput = { ...card, format: 'TD3', documentCode: 'P', documentNumber: 'AB12345678', optionalData: undefined, optionalData2: undefined };
    expect(buildMrz(passport)).toMatchObject({ ok: false, error: { code: 'FIELD_TOO_LONG', field: 'documentNumber' } });
  });
});

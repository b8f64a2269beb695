import { describe, expect, it } from 'vitest';
import { serbianCyrillicToLatin } from '../../domain/names/serbian-script';
import { createI18n } from './init';
import { pickLocale, resources, textToCyrillic, type Resource } from './resources';

const pairs = [
  ['sr-Cyrl', 'sr-Latn'],
  ['bs-Cyrl', 'bs-Latn'],
] as const;

const texts = (resource: Resource) => Object.entries(resource).flatMap(([section, values]) => Object.entries(values).map(([key, value]) => [`${section}.${key}`, value] as const));
const withoutUntouchable = (value: string) => value.replace(/\{\{[^}]*\}\}|`[^`]*`/g, '');

describe('Cyrillic resources', () => {
  it.each(pairs)('makes %s from %s, text for text', (cyrillic, latin) => {
    const latinTexts = texts(resources[latin]);
    expect(texts(resources[cyrillic])).toEqual(latinTexts.map(([key, value]) => [key, textToCyrillic(value)]));
  });

  it.each(pairs)('leaves no Latin letter in %s outside placeholders and commands', (cyrillic) => {
    for (const [key, value] of texts(resources[cyrillic])) {
      expect({ key, latin: withoutUntouchable(value).match(/[A-Za-zČĆĐŠŽčćđšž]/g) }).toEqual({ key, latin: null });
    }
  });

  it.each(pairs)('reads %s back to %s exactly (no digraph is split or merged)', (cyrillic, latin) => {
    const back = texts(resources[cyrillic]).map(([key, value]) => [key, serbianCyrillicToLatin(value)]);
    expect(back).toEqual(texts(resources[latin]));
  });

  it('leaves placeholders and commands as they are', () => {
    expect(textToCyrillic('Zaključano za {{name}} ({{badgeNumber}}).')).toBe('Закључано за {{name}} ({{badgeNumber}}).');
    expect(textToCyrillic('{{count}} uređaja podešeno')).toBe('{{count}} уређаја подешено');
    expect(textToCyrillic('naredba `{{command}}` i `npm run start:web`.')).toBe('наредба `{{command}}` и `npm run start:web`.');
    expect(textToCyrillic('Ljubljana, Njegoš, džep')).toBe('Љубљана, Његош, џеп');
  });
});

describe('plurals and interpolation through i18next', () => {
  it.each([
    ['en', 1, '1 device set up'],
    ['en', 3, '3 devices set up'],
    ['hr', 1, '1 uređaj postavljen'],
    ['hr', 3, '3 uređaja postavljena'],
    ['hr', 5, '5 uređaja postavljeno'],
    ['hr', 21, '21 uređaj postavljen'],
    ['sr-Latn', 22, '22 uređaja podešena'],
    ['sr-Cyrl', 1, '1 уређај подешен'],
    ['sr-Cyrl', 3, '3 уређаја подешена'],
    ['sr-Cyrl', 11, '11 уређаја подешено'],
    ['bs-Cyrl', 24, '24 уређаја подешена'],
    ['bs-Latn', 25, '25 uređaja podešeno'],
  ] as const)('counts in %s: %i → %s', (locale, count, expected) => {
    expect(createI18n(locale).t('devices.count', { count })).toBe(expected);
  });

  it('fills placeholders without escaping them twice (React escapes)', () => {
    const i18n = createI18n('sr-Cyrl');
    expect(i18n.t('lock.explanation', { name: 'Ana & Marko', badgeNumber: 'B-1' })).toMatch(/^Закључано за Ana & Marko \(B-1\)\./);
  });

  it('keeps English texts word for word (the e2e tests and officers rely on them)', () => {
    const i18n = createI18n('en');
    expect(i18n.t('bridge.missingToken', { command: 'npm run start:web' })).toBe('This page needs the access token of the running station service. Open the full address that `npm run start:web` printed.');
    expect(i18n.t('login.title')).toBe('Log in');
  });
});

describe('the starting language', () => {
  it.each([
    [['sr-RS'], 'sr-Cyrl'],
    [['sr'], 'sr-Cyrl'],
    [['sr-Latn-RS'], 'sr-Latn'],
    [['sr-Latn'], 'sr-Latn'],
    [['bs-BA'], 'bs-Latn'],
    [['bs-Cyrl'], 'bs-Cyrl'],
    [['hr-HR'], 'hr'],
    [['hr-BA'], 'hr'],
    [['de-DE', 'hr'], 'hr'],
    [['en-US'], 'en'],
    [['de-DE', 'fr'], 'en'],
    [['not a tag', 'bs'], 'bs-Latn'],
    [[], 'en'],
  ] as const)('picks from the browser languages %j: %s', (preferred, expected) => {
    expect(pickLocale(preferred)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { listStateCodes, lookupStateCode } from './stateCodes';

describe('ICAO state and organisation codes', () => {
  it('lists every ISO 3166-1 alpha-3 country once', () => {
    const countries = listStateCodes().filter((c) => c.kind === 'country');
    expect(countries).toHaveLength(249);
    expect(new Set(countries.map((c) => c.code)).size).toBe(249);
    expect(countries.every((c) => /^[A-Z]{3}$/.test(c.code))).toBe(true);
  });

  it.each([
    ['BIH', 'Bosnia and Herzegovina', 'country'],
    ['D', 'Germany', 'icao-extension'],
    ['D<<', 'Germany', 'icao-extension'],
    ['XXA', 'Stateless person', 'icao-extension'],
    ['UNK', 'Resident of Kosovo with a travel document issued by UNMIK', 'icao-extension'],
    ['EUE', 'European Union', 'icao-extension'],
    ['GBN', 'British National (Overseas)', 'icao-extension'],
    ['UTO', 'Utopia (ICAO specimen state)', 'specimen'],
  ])('knows %s', (code, name, kind) => {
    expect(lookupStateCode(code)).toMatchObject({ name, kind });
  });

  it.each(['XXB', 'XXC', 'XXX', 'UNO', 'UNA', 'GBD', 'GBO', 'GBP', 'GBS', 'XOM', 'XPO', 'XCC', 'XES', 'XMP', 'XBA', 'XIM', 'XCE', 'XCO', 'XDC', 'XEC'])(
    'knows the ICAO extension %s',
    (code) => {
      expect(lookupStateCode(code)?.kind).toBe('icao-extension');
    },
  );

  it.each(['RKS', 'XKX', 'ZZZ', ''])('does not list %j', (code) => {
    expect(lookupStateCode(code)).toBeUndefined();
  });
});

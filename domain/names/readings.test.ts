import { describe, expect, it } from 'vitest';
import { mrzReadings, primaryReading } from './readings';

describe('MRZ readings of a name (ICAO Doc 9303 Part 3)', () => {
  it.each([
    ['Müller', ['MUELLER', 'MULLER']],
    ['Đurić', ['DJURIC', 'DURIC']],
    ['Ђурић', ['DJURIC', 'DURIC']],
    ['Čolić', ['COLIC']],
    ['Strauß', ['STRAUSS']],
    ['Þór', ['THOR']],
    ['Æsa', ['AESA']],
    ['Œuvray', ['OEUVRAY']],
    ['Şahin Yıldız', ['SAHIN YILDIZ']],
    ['Иванов', ['IVANOV', 'YVANOV']],
    ['Щукин', ['SHCHUKIN', 'SHCHUKYN', 'SHTUKIN', 'SHTUKYN']],
    ['Jean-Luc  de la Tour', ['JEAN LUC DE LA TOUR']],
  ])('reads %s as %j', (name, readings) => {
    expect(mrzReadings(name)).toEqual(readings);
  });

  it('puts the ICAO recommended reading first', () => {
    expect(mrzReadings('Jönsson')[0]).toBe('JOENSSON');
  });

  it('reads Cyrillic words with a letter only Serbian has as Serbian only', () => {
    expect(mrzReadings('Хасановић')).toEqual(['HASANOVIC']);
  });

  it('reads Cyrillic words that could be Serbian or Russian both ways, Serbian first', () => {
    expect(mrzReadings('Хасанов')).toEqual(['HASANOV', 'KHASANOV']);
  });

  it('stops multiplying readings at 32', () => {
    expect(mrzReadings('Ä Ö Ü Ä Ö Ü Ä Ö Ü').length).toBe(32);
  });
});

describe('the primary reading alone', () => {
  it.each(['Müller', 'Ђурић', "O'Brien-Smith", 'Jean-Luc  de la Tour', 'Şahin Yıldız', 'Ǆeko', 'Ελένη Παπαδοπούλου', ' - Ana'])(
    'is the first of all readings of %s',
    (name) => {
      expect(primaryReading(name)).toBe(mrzReadings(name)[0]);
    },
  );
});

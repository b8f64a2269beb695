import { describe, expect, it } from 'vitest';
import { readBirthDate, readExpiryDate, referenceDayOf, toMrzDate } from './dates';

const today = referenceDayOf(new Date(2025, 5, 15));

describe('birth dates', () => {
  it.each([
    ['740812', '1974-08-12', 'a birth in the last century'],
    ['100101', '2010-01-01', 'a child born this century'],
    ['250615', '2025-06-15', 'a baby born today'],
    ['250616', '1925-06-16', 'tomorrow a century ago, since no one is born in the future'],
    ['400907', '1940-09-07', 'the visa specimen holder'],
  ])('reads %s as %s (%s)', (raw, iso) => {
    expect(readBirthDate(raw, 0, today)).toEqual({ kind: 'date', iso });
  });

  it.each([
    ['7408<<', '1974-08'],
    ['74<<<<', '1974'],
    ['25<<<<', '2025'],
  ])('reads %s, with unknown parts, as the ISO partial date %s', (raw, iso) => {
    expect(readBirthDate(raw, 0, today)).toEqual({ kind: 'partial', iso });
  });

  it('reads an all-filler birth date as unknown', () => {
    expect(readBirthDate('<<<<<<', 0, today)).toEqual({ kind: 'unknown' });
  });

  it.each([
    ['741312', 'month 13'],
    ['740832', 'day 32'],
    ['740230', '30 February'],
    ['010229', '29 February of a common year'],
    ['74<<12', 'a known day in an unknown month'],
    ['74O812', 'a letter'],
    ['7408 2', 'a space'],
  ])('reports %s (%s) as invalid', (raw) => {
    expect(readBirthDate(raw, 0, today)).toEqual({ kind: 'invalid' });
  });

  it('places 29 February 2000 in the leap year 2000, not in 1900', () => {
    expect(readBirthDate('000229', 0, today)).toEqual({ kind: 'date', iso: '2000-02-29' });
  });
});

describe('expiry dates', () => {
  it.each([
    ['120415', '2012-04-15'],
    ['350101', '2035-01-01'],
    ['551231', '2055-12-31'],
    ['560101', '1956-01-01'],
    ['961210', '1996-12-10'],
  ])('reads %s as %s (window: 69 years back to 30 years ahead)', (raw, iso) => {
    expect(readExpiryDate(raw, 0, today)).toEqual({ kind: 'date', iso });
  });

  it('reads an all-filler expiry date as none given', () => {
    expect(readExpiryDate('<<<<<<', 0, today)).toEqual({ kind: 'unknown' });
  });

  it.each(['351301', '3501<<', '35<<<<', '350100'])('reports %s as invalid', (raw) => {
    expect(readExpiryDate(raw, 0, today)).toEqual({ kind: 'invalid' });
  });
});

describe('ISO dates laid out as MRZ dates', () => {
  it.each([
    ['1974-08-12', '740812'],
    ['2000-02-29', '000229'],
    ['1974-08', '7408<<'],
    ['1974', '74<<<<'],
  ])('lays out %s as %s', (iso, mrz) => {
    expect(toMrzDate(iso)).toBe(mrz);
  });

  it.each(['1974-13-01', '1974-02-30', '12/08/1974', '74-08-12', ''])('refuses %j', (iso) => {
    expect(toMrzDate(iso)).toBeNull();
  });
});

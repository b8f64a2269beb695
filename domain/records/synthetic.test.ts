import { describe, expect, it } from 'vitest';
import { timestampOfUuidV7 } from '../ids';
import { newCrossing, newRegistration } from './new-records';
import { syntheticCrossing, syntheticRegistration } from './synthetic';
import { syntheticSource } from './synthetic-source';

describe('synthetic records', () => {
  it('are the same for the same seed, ids included', () => {
    const first = syntheticSource(99);
    const second = syntheticSource(99);
    expect(Array.from({ length: 5 }, () => syntheticRegistration(first))).toEqual(Array.from({ length: 5 }, () => syntheticRegistration(second)));
    expect(syntheticCrossing(syntheticSource(1))).not.toEqual(syntheticCrossing(syntheticSource(2)));
  });

  it('are what the station itself makes of the same input', () => {
    const source = syntheticSource(5);
    const registration = syntheticRegistration(source);
    const { id, stationId, officerId, createdAt } = registration;
    const remade = newRegistration(registration, { stationId, officerId, at: createdAt }, id);
    expect(remade).toEqual(registration);
    const crossing = syntheticCrossing(source);
    expect(newCrossing(crossing, { stationId: crossing.stationId, officerId: crossing.officerId, at: crossing.createdAt }, crossing.id)).toEqual(crossing);
  });

  it('carry ids made at their createdAt, in the order they were made', () => {
    const source = syntheticSource(11);
    const registrations = Array.from({ length: 200 }, () => syntheticRegistration(source));
    for (const registration of registrations) expect(timestampOfUuidV7(registration.id)).toBe(registration.createdAt);
    const ids = registrations.map((registration) => registration.id);
    expect([...ids].sort()).toEqual(ids);
  });

  it('spell names with diacritics and in Cyrillic, and know some dates of birth only in part', () => {
    const source = syntheticSource(3);
    const people = Array.from({ length: 2000 }, () => syntheticRegistration(source).person);
    expect(people.some((person) => /[čćđšž]/i.test(person.surname))).toBe(true);
    expect(people.some((person) => /[\u0400-\u04ff]/.test(person.surname))).toBe(true);
    expect(people.some((person) => person.birthDate.length === 4)).toBe(true);
    expect(people.some((person) => person.birthDate === '')).toBe(true);
  });

  it('take the overrides a test gives', () => {
    expect(syntheticRegistration(syntheticSource(1), { stationId: 'ps-mostar' }).stationId).toBe('ps-mostar');
  });
});

import { describe, expect, it } from 'vitest';
import { loadRules } from '../rules';
import { StayError } from './errors';
import { type RegistrationFacts, registrationDeadline } from './registration';

const arrival = '2026-03-01T14:00:00+01:00';

describe('registration deadline', () => {
  it.each<[string, Partial<RegistrationFacts>, { required: boolean; status: string; minutesLate: number; dueAt: string | null }]>([
    ['a hotel guest registered exactly 12 h after arrival is on time', { accommodation: 'commercial', registeredAt: '2026-03-02T02:00:00+01:00' }, { required: true, status: 'registered-on-time', minutesLate: 0, dueAt: '2026-03-02T01:00:00.000Z' }],
    ['a hotel guest registered 12 h 1 min after arrival is 1 minute late', { accommodation: 'commercial', registeredAt: '2026-03-02T02:01:00+01:00' }, { required: true, status: 'registered-late', minutesLate: 1, dueAt: '2026-03-02T01:00:00.000Z' }],
    ['a hotel guest registered 30 s late is 1 minute late', { accommodation: 'commercial', registeredAt: '2026-03-02T02:00:30+01:00' }, { required: true, status: 'registered-late', minutesLate: 1, dueAt: '2026-03-02T01:00:00.000Z' }],
    ['a hotel guest staying one night is registered too', { accommodation: 'commercial', plannedStayDays: 1 }, { required: true, status: 'pending', minutesLate: 0, dueAt: '2026-03-02T01:00:00.000Z' }],
    ['a private stay of 3 days needs no registration', { accommodation: 'private', plannedStayDays: 3 }, { required: false, status: 'not-required', minutesLate: 0, dueAt: null }],
    ['a private stay of 4 days is registered within 48 h', { accommodation: 'private', plannedStayDays: 4 }, { required: true, status: 'pending', minutesLate: 0, dueAt: '2026-03-03T13:00:00.000Z' }],
    ['a private stay registered exactly 48 h after arrival is on time', { accommodation: 'private', registeredAt: '2026-03-03T14:00:00+01:00' }, { required: true, status: 'registered-on-time', minutesLate: 0, dueAt: '2026-03-03T13:00:00.000Z' }],
    ['a private stay registered 2 days 1 h after arrival is 1 h late', { accommodation: 'private', registeredAt: '2026-03-03T15:00:00+01:00' }, { required: true, status: 'registered-late', minutesLate: 60, dueAt: '2026-03-03T13:00:00.000Z' }],
    ['an unregistered hotel guest is overdue once the 12 h have passed', { accommodation: 'commercial', now: '2026-03-02T03:30:00+01:00' }, { required: true, status: 'overdue', minutesLate: 90, dueAt: '2026-03-02T01:00:00.000Z' }],
    ['an unregistered hotel guest is pending until the 12 h have passed', { accommodation: 'commercial', now: '2026-03-02T02:00:00+01:00' }, { required: true, status: 'pending', minutesLate: 0, dueAt: '2026-03-02T01:00:00.000Z' }],
  ])('%s', (_rule, facts, expected) => {
    const deadline = registrationDeadline({ arrivedAt: arrival, accommodation: 'commercial', plannedStayDays: 7, ...facts });
    expect(deadline).toMatchObject(expected);
  });

  it('makes the accommodation provider responsible for a commercial stay', () => {
    expect(registrationDeadline({ arrivedAt: arrival, accommodation: 'commercial', plannedStayDays: 2 }).responsible).toBe('accommodation-provider');
  });

  it('makes the foreigner or the host responsible for a private stay', () => {
    expect(registrationDeadline({ arrivedAt: arrival, accommodation: 'private', plannedStayDays: 5 }).responsible).toBe('foreigner-or-host');
  });

  it('explains lateness with the numbers', () => {
    const deadline = registrationDeadline({ arrivedAt: arrival, accommodation: 'commercial', plannedStayDays: 2, registeredAt: '2026-03-03T03:05:00+01:00' });
    expect(deadline.explanation).toBe(
      'Commercial accommodation: the accommodation provider must register within 12 h of arrival, by 2026-03-02T01:00:00.000Z; registered 1 day 1 h 5 min late',
    );
  });

  it('follows the configured deadlines', () => {
    const rules = loadRules({ registration: { commercialDeadlineHours: 24, privateExemptMaxDays: 5 } });
    expect(registrationDeadline({ arrivedAt: arrival, accommodation: 'commercial', plannedStayDays: 2 }, rules).dueAt).toBe('2026-03-02T13:00:00.000Z');
    expect(registrationDeadline({ arrivedAt: arrival, accommodation: 'private', plannedStayDays: 5 }, rules).required).toBe(false);
  });

  it.each([-1, 2.5, Number.NaN])('refuses a planned stay of %s days with INVALID_STAY_LENGTH', (days) => {
    expect(() => registrationDeadline({ arrivedAt: arrival, accommodation: 'private', plannedStayDays: days })).toThrow(StayError);
    expect(() => registrationDeadline({ arrivedAt: arrival, accommodation: 'private', plannedStayDays: days })).toThrow(
      expect.objectContaining({ code: 'INVALID_STAY_LENGTH' }),
    );
  });

  it('refuses an arrival time without an offset', () => {
    expect(() => registrationDeadline({ arrivedAt: '2026-03-01T14:00:00', accommodation: 'commercial', plannedStayDays: 2 })).toThrow(/offset/);
  });
});

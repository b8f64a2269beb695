import { describe, expect, it } from 'vitest';
import { addressChangeDeadline } from './address-change';

const moved = '2026-04-10T09:00:00+02:00';

describe('change of address deadline', () => {
  it.each([
    ['temporary residence: due 48 h after the move', 'temporary', {}, '2026-04-12T07:00:00.000Z', 'pending', 0],
    ['temporary residence: reported exactly at 48 h is on time', 'temporary', { reportedAt: '2026-04-12T09:00:00+02:00' }, '2026-04-12T07:00:00.000Z', 'done-on-time', 0],
    ['temporary residence: reported at 48 h 1 min is late', 'temporary', { reportedAt: '2026-04-12T09:01:00+02:00' }, '2026-04-12T07:00:00.000Z', 'done-late', 1],
    ['permanent residence: due 8 days after the move', 'permanent', {}, '2026-04-18T07:00:00.000Z', 'pending', 0],
    ['permanent residence: reported on day 8 is on time', 'permanent', { reportedAt: '2026-04-18T08:59:00+02:00' }, '2026-04-18T07:00:00.000Z', 'done-on-time', 0],
    ['permanent residence: unreported on day 9 is overdue', 'permanent', { now: '2026-04-19T09:00:00+02:00' }, '2026-04-18T07:00:00.000Z', 'overdue', 1440],
  ] as const)('%s', (_rule, residence, facts, dueAt, status, minutesLate) => {
    expect(addressChangeDeadline({ residence, movedAt: moved, ...facts })).toMatchObject({ dueAt, status, minutesLate });
  });

  it('explains the deadline in the officer\'s terms', () => {
    expect(addressChangeDeadline({ residence: 'permanent', movedAt: moved, now: '2026-04-19T09:00:00+02:00' }).explanation).toBe(
      'Permanent residence: a change of address is reported within 8 days, by 2026-04-18T07:00:00.000Z; not reported and 1 day overdue',
    );
  });
});

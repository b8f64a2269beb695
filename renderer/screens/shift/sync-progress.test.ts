import { describe, expect, it } from 'vitest';
import type { SyncStatusView } from '../../../main/api/contract';
import { pendingOf, syncProgress } from './sync-progress';

function status(pending: Record<string, number>): SyncStatusView {
  return {
    state: 'syncing',
    problem: null,
    collections: [
      ...Object.entries(pending).map(([collection, count]) => ({ collection, direction: 'push-pull' as const, pending: count, sent: 0, received: 0, lastSuccessAt: null, lastFailure: null })),
      // Reference data is pulled only: it is never "unsent".
      { collection: 'alerts', direction: 'pull' as const, pending: 7, sent: 0, received: 0, lastSuccessAt: null, lastFailure: null },
    ],
    lastSuccessAt: null,
    failures: [],
    conflicts: 0,
  };
}

describe('the progress of "Sync now"', () => {
  it('counts only the station’s own collections as unsent', () => {
    expect(pendingOf(status({ registrations: 3, audit: 2 }))).toBe(5);
  });

  it.each<{ atStart: number | null; now: Record<string, number>; finished: boolean; expected: object }>([
    { atStart: null, now: { registrations: 4 }, finished: false, expected: { phase: 'idle', total: 0, done: 0, left: 4 } },
    { atStart: 10, now: { registrations: 4, audit: 2 }, finished: false, expected: { phase: 'running', total: 10, done: 4, left: 6 } },
    { atStart: 10, now: { registrations: 0 }, finished: true, expected: { phase: 'done', total: 10, done: 10, left: 0 } },
    // An audit entry written while sync ran raises the count above the start: done stays at 0, never below.
    { atStart: 2, now: { audit: 3 }, finished: false, expected: { phase: 'running', total: 2, done: 0, left: 3 } },
    { atStart: 0, now: {}, finished: true, expected: { phase: 'done', total: 0, done: 0, left: 0 } },
  ])('from $atStart unsent to $now (finished: $finished)', ({ atStart, now, finished, expected }) => {
    expect(syncProgress(atStart, status(now), finished)).toEqual(expected);
  });
});

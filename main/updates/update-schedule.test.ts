import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextNightlyCheck, UpdateSchedule } from './update-schedule';
import { updateFeedUrl } from './update-feed';

const local = (text: string): Date => new Date(text);

describe('nextNightlyCheck', () => {
  it.each([
    ['before the hour: tonight', '2027-03-01T01:10:00', 2, 0, '2027-03-01T02:00:00'],
    ['after the hour: the next night', '2027-03-01T09:00:00', 2, 0, '2027-03-02T02:00:00'],
    ['exactly at the moment: the next night', '2027-03-01T02:00:00', 2, 0, '2027-03-02T02:00:00'],
    ['within the jitter window, before its moment: tonight', '2027-03-01T02:10:00', 2, 20 * 60_000, '2027-03-01T02:20:00'],
    ['past the moment with jitter: the next night, same minute', '2027-03-01T02:30:00', 2, 20 * 60_000, '2027-03-02T02:20:00'],
    ['at the end of a month', '2027-02-28T23:00:00', 3, 0, '2027-03-01T03:00:00'],
  ])('%s', (_case, now, hour, jitterMs, expected) => {
    expect(nextNightlyCheck(local(now), hour, jitterMs).getTime()).toBe(local(expected).getTime());
  });

  it('refuses an hour that is not one', () => {
    expect(() => nextNightlyCheck(new Date(), 24, 0)).toThrow(RangeError);
  });
});

describe('UpdateSchedule', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('checks once after start, then every night at its hour and minute, even after a failed check', async () => {
    vi.useFakeTimers({ now: local('2027-03-01T10:00:00') });
    const checks: string[] = [];
    const failures: unknown[] = [];
    let fail = true;
    const schedule = new UpdateSchedule({
      check: async () => {
        checks.push(new Date().toISOString());
        if (fail) {
          fail = false;
          throw new Error('server unreachable');
        }
      },
      failed: (error) => failures.push(error),
      nightlyHour: 2,
      jitterMs: 60 * 60_000,
      startDelayMs: 60_000,
      random: () => 0.25,
    });
    schedule.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(checks).toEqual([local('2027-03-01T10:01:00').toISOString()]);
    expect(failures).toHaveLength(1);
    expect(schedule.next).toBe(local('2027-03-02T02:15:00').getTime());
    await vi.advanceTimersByTimeAsync(local('2027-03-03T02:15:00').getTime() - Date.now());
    expect(checks.slice(1)).toEqual([local('2027-03-02T02:15:00').toISOString(), local('2027-03-03T02:15:00').toISOString()]);
    schedule.stop();
    await vi.advanceTimersByTimeAsync(48 * 3_600_000);
    expect(checks).toHaveLength(3);
  });
});

describe('updateFeedUrl', () => {
  it("is the station's own server's /updates", () => {
    expect(updateFeedUrl('https://mis-sync.example.ba')).toBe('https://mis-sync.example.ba/updates');
    expect(updateFeedUrl('https://mis-sync.example.ba/')).toBe('https://mis-sync.example.ba/updates');
  });
});

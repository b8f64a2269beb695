import { addDays } from '../domain/time';
import { type Crossing, assessPlannedStay, buildStayHistory, daysUsedIn180 } from '../domain/stay';

/**
 * 90/180 on a ten-year history of a frequent traveller: in on Monday, out on Tuesday,
 * every week (about 1,040 crossings). Times the check a border officer triggers (build
 * the history from the crossings, count the days on the entry date, assess the planned
 * stay) and the count for every day of the ten years on a history built once.
 */
function frequentTraveller(years: number): Crossing[] {
  const crossings: Crossing[] = [];
  const firstMonday = '2016-01-04';
  for (let week = 0; week < years * 52; week++) {
    const monday = addDays(firstMonday, week * 7);
    crossings.push({ direction: 'entry', at: `${monday}T07:30:00+01:00` }, { direction: 'exit', at: `${addDays(monday, 1)}T18:10:00+01:00` });
  }
  return crossings;
}

function microseconds(totalMs: number, runs: number): string {
  return `${((totalMs * 1000) / runs).toFixed(1)} µs`;
}

export async function benchStay(): Promise<void> {
  const crossings = frequentTraveller(10);
  const today = '2026-01-05';
  const runs = 2_000;

  let checksum = 0;
  for (let i = 0; i < 200; i++) checksum += daysUsedIn180(crossings, today);
  let started = performance.now();
  for (let i = 0; i < runs; i++) checksum += daysUsedIn180(crossings, today);
  const oneDate = performance.now() - started;

  started = performance.now();
  for (let i = 0; i < runs; i++) checksum += assessPlannedStay(crossings, today, addDays(today, 30)).daysUsedOnEntry;
  const plannedStay = performance.now() - started;

  const history = buildStayHistory(crossings);
  const days = 3_650;
  started = performance.now();
  for (let d = 0; d < days; d++) checksum += daysUsedIn180(history, addDays('2016-01-01', d));
  const everyDay = performance.now() - started;

  console.log(`stay 90/180: history of ${crossings.length} crossings over 10 years (${daysUsedIn180(history, today)} days used on ${today})`);
  console.log(`stay 90/180: days used on one date from the crossings: ${microseconds(oneDate, runs)} per check`);
  console.log(`stay 90/180: planned-stay assessment from the crossings: ${microseconds(plannedStay, runs)} per check`);
  console.log(`stay 90/180: days used for each of ${days} days on a built history: ${(everyDay).toFixed(1)} ms in all, ${microseconds(everyDay, days)} per date`);
  if (Number.isNaN(checksum)) console.log('stay 90/180: checksum is not a number');
}

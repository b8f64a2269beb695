import { defaultRules, type Rules } from '../rules';
import { dayNumber, type IsoDate } from '../time';
import { asStayHistory, daysPresent, type StayHistory, type StayRecord } from './stay-history';

/** First day of the window that ends on `day` ([D-179, D] with the default rules). */
function windowStart(day: number, rules: Rules): number {
  return day - rules.shortStay.windowDays + 1;
}

/**
 * Days of stay in the window ending on `onDate`, that day included. Entry and exit
 * days both count; a stay not yet ended counts up to `onDate`.
 */
export function daysUsedIn180(record: StayRecord, onDate: IsoDate, rules: Rules = defaultRules): number {
  const day = dayNumber(onDate);
  return daysPresent(asStayHistory(record), windowStart(day, rules), day);
}

/**
 * Days used on `day` if the person is in the country every day from `stayFirstDay` to
 * `day`, counting the recorded history only before `stayFirstDay` (the stay replaces
 * whatever the record says from then on).
 */
export function daysUsedWithStay(history: StayHistory, stayFirstDay: number, day: number, rules: Rules): number {
  const from = windowStart(day, rules);
  return daysPresent(history, from, Math.min(day, stayFirstDay - 1)) + (day - Math.max(from, stayFirstDay) + 1);
}

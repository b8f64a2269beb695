export { TimeError, type TimeErrorCode } from './errors';
export {
  type IsoDate,
  addDays,
  addMonths,
  addYears,
  ageOn,
  calendarDayOf,
  dayNumber,
  dayNumberOf,
  daysBetween,
  isoDate,
} from './calendar-day';
export { type IsoInstant, MS_PER_HOUR, MS_PER_MINUTE, addHours, instantMs, isoInstant } from './instant';
export { type PartialDate, earliestPossibleDay, latestPossibleDay, parsePartialDate } from './partial-date';

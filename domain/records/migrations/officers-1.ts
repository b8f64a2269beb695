import type { Officer } from '../officers';
import type { OfficerV0 } from '../officers.v0';

/**
 * Stands in for the badge number of officers stored before badge numbers were kept. A
 * badge number cannot be empty (it names the officer on printed documents), and none is
 * known for them; this placeholder fits the pattern, reads as what it is on screen, and
 * is replaced when an administrator sets the number (officer-update --badge).
 */
export const BADGE_NUMBER_UNKNOWN = 'UNKNOWN';

/**
 * Officers version 0 → 1: adds badgeNumber and mustChangePassword. Officers already
 * stored keep the password they have: requiring a change would need the central server
 * at their next login, and would lock them out of a station working offline.
 * The sync server reads officers it stored before version 1 the same way.
 */
export function officerToV1(old: OfficerV0): Officer {
  return { ...old, badgeNumber: BADGE_NUMBER_UNKNOWN, mustChangePassword: false };
}

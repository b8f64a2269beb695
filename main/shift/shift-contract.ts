import type { RequestEntries } from '../api/contract';

/** The shift workflow's requests (spread into main/api/contract.ts). */
export const shiftRequests = {} as const satisfies RequestEntries;

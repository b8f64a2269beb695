import type { RequestEntries } from '../api/contract';

/** The crossings workflow's requests (spread into main/api/contract.ts). */
export const crossingRequests = {} as const satisfies RequestEntries;

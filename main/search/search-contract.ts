import type { RequestEntries } from '../api/contract';

/** The search workflow's requests (spread into main/api/contract.ts). */
export const searchRequests = {} as const satisfies RequestEntries;

import type { RequestHandlersFor } from '../api/dispatcher';
import type { MainServices } from '../compose';
import type { searchRequests } from './search-contract';

/** The handlers of the search requests (spread into main/api/handlers.ts). */
export function searchHandlers(_services: MainServices): RequestHandlersFor<typeof searchRequests> {
  return {};
}

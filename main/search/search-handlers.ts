import type { RequestHandlersFor } from '../api/dispatcher';
import { officerOf } from '../api/handlers';
import type { MainServices } from '../compose';
import type { searchRequests } from './search-contract';

/** The handlers of the search requests (spread into main/api/handlers.ts). */
export function searchHandlers(services: MainServices): RequestHandlersFor<typeof searchRequests> {
  return {
    'search.records': (input, context) => services.search.run(officerOf(context).id, input.criteria, input.limit),
    'search.page': (input, context) => services.search.page(officerOf(context).id, input.searchId, input.offset, input.limit),
  };
}

import type { RequestHandlersFor } from '../api/dispatcher';
import { officerOf } from '../api/handlers';
import type { MainServices } from '../compose';
import type { crossingRequests } from './crossing-contract';

/** The handlers of the crossings requests (spread into main/api/handlers.ts). */
export function crossingHandlers(services: MainServices): RequestHandlersFor<typeof crossingRequests> {
  return {
    'crossings.prepare': (input, context) => services.crossings.prepare(officerOf(context).id, input),
    'crossings.captureFinger': (input, context) => services.crossings.captureFinger(officerOf(context).id, input),
    'crossings.record': (input, context) => services.crossings.record(officerOf(context).id, input),
    'crossings.get': (input, context) => services.crossings.get(officerOf(context).id, input.id),
    'crossings.correct': (input, context) => services.crossings.correct(officerOf(context).id, input),
  };
}

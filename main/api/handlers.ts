import { SyncRequestError } from '../sync/sync-client';
import type { Handlers } from './dispatcher';
import { ApiError } from './errors';
import type { MainServices } from '../compose';

/** The contract's handlers, written once for both transports. */
export function createHandlers(services: MainServices): Handlers {
  return {
    requests: {
      'app.status': (_input, context) => ({ ...services.status.current(), officer: context.officer }),
      'sync.status': () => services.sync.status(),
      'sync.now': () => services.sync.syncNow(),
      'sync.conflicts': async () => {
        try {
          return await services.sync.conflictLog();
        } catch (error) {
          if (error instanceof SyncRequestError) throw new ApiError('SERVER_UNAVAILABLE', `The conflict log is kept on the central server, which cannot be asked now: ${error.message}`);
          throw error;
        }
      },
    },
    subscriptions: {
      'app.statusChanges': (_input, context, emit) => {
        emit({ ...services.status.current(), officer: context.officer });
        return services.status.onChange((status) => emit({ ...status, officer: context.officer }));
      },
      'sync.statusChanges': (_input, _context, emit) => {
        emit(services.sync.status());
        return services.sync.onChange(emit);
      },
    },
  };
}

import type { Handlers } from './dispatcher';
import type { MainServices } from '../compose';

/** The contract's handlers, written once for both transports. */
export function createHandlers(services: MainServices): Handlers {
  return {
    requests: {
      'app.status': (_input, context) => ({ ...services.status.current(), officer: context.officer }),
    },
    subscriptions: {
      'app.statusChanges': (_input, context, emit) => {
        emit({ ...services.status.current(), officer: context.officer });
        return services.status.onChange((status) => emit({ ...status, officer: context.officer }));
      },
    },
  };
}

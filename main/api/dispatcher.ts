import type { z } from 'zod';
import type { Logger } from 'pino';
import { roleAllows, type RequiredRole } from '../../domain/identity';
import { contract } from './contract';
import { ApiError, failure, ok, type ApiErrorCode, type Result } from './errors';
import type { ApiSession, CallContext, RequestName, RequestOutput, SubscriptionEvent, SubscriptionName } from './types';

type ParsedRequestInput<N extends RequestName> = z.output<(typeof contract)['requests'][N]['input']>;
type ParsedSubscriptionInput<N extends SubscriptionName> = z.output<(typeof contract)['subscriptions'][N]['input']>;

/** Handlers are written once, here in main, and serve both transports. */
export type RequestHandlers = {
  [N in RequestName]: (input: ParsedRequestInput<N>, context: CallContext) => Promise<RequestOutput<N>> | RequestOutput<N>;
};

/** The handlers of some of the requests: a workflow's own module (main/<workflow>/*-handlers.ts) writes those of its contract. */
export type RequestHandlersFor<Entries> = Pick<RequestHandlers, keyof Entries & RequestName>;

/** A subscription handler starts a stream and returns the function that stops it. */
export type SubscriptionHandlers = {
  [N in SubscriptionName]: (
    input: ParsedSubscriptionInput<N>,
    context: CallContext,
    emit: (event: SubscriptionEvent<N>) => void,
  ) => () => void;
};

export interface Handlers {
  requests: RequestHandlers;
  subscriptions: SubscriptionHandlers;
}

/**
 * What a transport talks to. Names and inputs arrive untrusted (as `unknown`) from the
 * renderer; the dispatcher checks the name, validates the input, calls the handler and
 * validates what it returns, so that a transport never needs to know the contract.
 */
export interface ApiDispatcher {
  /** A new connection (a window, a WebSocket): its own login, signed out. */
  openSession(): CallContext;
  /** The connection closed: its officer is logged out. */
  closeSession(context: CallContext): void;
  request(name: unknown, input: unknown, context: CallContext): Promise<Result<unknown>>;
  subscribe(name: unknown, input: unknown, context: CallContext, onEvent: (event: unknown) => void): Result<() => void>;
}

/** Where sessions come from (main's auth service), and who hears of a refused call (its audit trail). */
export interface SessionKeeper {
  open(): ApiSession;
  close(session: ApiSession): void;
  refused(session: ApiSession, name: string, code: ApiErrorCode): void;
}

interface Guard {
  role: RequiredRole;
  duringPasswordChange?: true;
}

/**
 * Whether the session may make a call that needs this guard: the check every request and
 * subscription passes before its handler runs, so no handler can forget it.
 */
function refusal(name: string, guard: Guard, session: ApiSession): ApiError | null {
  if (guard.role === 'anyone') return null;
  const state = session.state();
  if (state === 'signed-out') return new ApiError('NOT_AUTHENTICATED', 'Log in first.');
  if (state === 'locked') return new ApiError('SESSION_LOCKED', 'The screen is locked: enter your password to go on.');
  if (state === 'password-change-required' && !guard.duringPasswordChange) {
    return new ApiError('PASSWORD_CHANGE_REQUIRED', 'You logged in with a one-time password: choose your own password first.');
  }
  const role = session.officer?.role ?? null;
  if (!roleAllows(role, guard.role)) return new ApiError('ROLE_REFUSED', `Only a ${guard.role} may do this (${name}); you are logged in as ${role ?? 'nobody'}.`);
  return null;
}

function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

/**
 * Where an error was thrown, without what it says: a stack starts with the error's message,
 * which may quote the data the code was working on (RxDB's errors carry whole documents).
 */
export function stackFrames(error: unknown): string | undefined {
  if (!(error instanceof Error) || !error.stack) return undefined;
  return error.stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
}

/** A name for an error message, whatever the renderer sent (it may not even be a string). */
function shown(name: unknown): string {
  return typeof name === 'string' ? JSON.stringify(name.slice(0, 80)) : `a ${typeof name}`;
}

function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(contract.requests, name);
}

function isSubscriptionName(name: unknown): name is SubscriptionName {
  return typeof name === 'string' && Object.hasOwn(contract.subscriptions, name);
}

export function createDispatcher(handlers: Handlers, log: Logger, sessions: SessionKeeper): ApiDispatcher {
  function unexpected(name: string, error: unknown): { ok: false; error: ReturnType<ApiError['toValue']> } {
    // The message may quote data the handler was working on, so only the error's type and
    // stack go to the technical log; the officer gets a generic message.
    log.error({ request: name, errorName: error instanceof Error ? error.name : typeof error, stack: stackFrames(error) }, 'request failed unexpectedly');
    return failure('INTERNAL', 'Something went wrong inside the application. The request was not completed; try again, and report it if it repeats.');
  }

  /** The refusal of a call, as a value, noted by the session keeper; null when the call may go on. */
  function guarded(name: string, guard: Guard, context: CallContext): { ok: false; error: ReturnType<ApiError['toValue']> } | null {
    const refused = refusal(name, guard, context.session);
    if (!refused) {
      if (guard.role !== 'anyone') context.session.touch();
      return null;
    }
    sessions.refused(context.session, name, refused.code);
    return { ok: false, error: refused.toValue() };
  }

  return {
    openSession: () => ({ session: sessions.open() }),
    closeSession: (context) => sessions.close(context.session),

    async request(name, input, context) {
      if (!isRequestName(name)) return failure('UNKNOWN_REQUEST', `There is no request called ${shown(name)}.`);
      const definition = contract.requests[name];
      const refused = guarded(name, definition, context);
      if (refused) return refused;
      const parsedInput = definition.input.safeParse(input ?? {});
      if (!parsedInput.success) return failure('INVALID_INPUT', `The input of ${name} is not valid.`, issuesOf(parsedInput.error));
      try {
        const handler = handlers.requests[name] as (input: unknown, context: CallContext) => unknown;
        const output = await handler(parsedInput.data, context);
        const parsedOutput = definition.output.safeParse(output);
        if (!parsedOutput.success) return unexpected(name, new Error(`output of ${name} does not match the contract: ${parsedOutput.error.message}`));
        return ok(parsedOutput.data);
      } catch (error) {
        if (error instanceof ApiError) return { ok: false, error: error.toValue() };
        return unexpected(name, error);
      }
    },

    subscribe(name, input, context, onEvent) {
      if (!isSubscriptionName(name)) return failure('UNKNOWN_SUBSCRIPTION', `There is no subscription called ${shown(name)}.`);
      const definition = contract.subscriptions[name];
      const refused = guarded(name, definition, context);
      if (refused) return refused;
      const parsedInput = definition.input.safeParse(input ?? {});
      if (!parsedInput.success) return failure('INVALID_INPUT', `The input of ${name} is not valid.`, issuesOf(parsedInput.error));
      const emit = (event: unknown): void => {
        // Checked again for every event: what a subscription streams stops while the screen
        // is locked or after a logout, and goes on once the officer is back.
        if (refusal(name, definition, context.session)) return;
        const parsedEvent = definition.event.safeParse(event);
        if (parsedEvent.success) onEvent(parsedEvent.data);
        else log.error({ subscription: name, problem: parsedEvent.error.message }, 'event does not match the contract; not sent');
      };
      try {
        const start = handlers.subscriptions[name] as (input: unknown, context: CallContext, emit: (event: unknown) => void) => () => void;
        return ok(start(parsedInput.data, context, emit));
      } catch (error) {
        if (error instanceof ApiError) return { ok: false, error: error.toValue() };
        return unexpected(name, error);
      }
    },
  };
}

import type { z } from 'zod';
import type { Role } from '../../domain/identity';
import type { Contract } from './contract';
import type { ApiErrorValue, Result } from './errors';

export type RequestName = keyof Contract['requests'];
export type SubscriptionName = keyof Contract['subscriptions'];

export type RequestInput<N extends RequestName> = z.input<Contract['requests'][N]['input']>;
export type RequestOutput<N extends RequestName> = z.output<Contract['requests'][N]['output']>;
export type SubscriptionInput<N extends SubscriptionName> = z.input<Contract['subscriptions'][N]['input']>;
export type SubscriptionEvent<N extends SubscriptionName> = z.output<Contract['subscriptions'][N]['event']>;

/** The officer logged in on a window, as main knows them after the login. */
export interface SignedInOfficer {
  id: string;
  name: string;
  badgeNumber: string;
  role: Role;
}

/**
 * signed-out: nobody; active: the officer works; locked: the officer is still the one
 * logged in but must give the password again (inactivity, or locked on leaving the
 * counter); password-change-required: logged in with a one-time password, which must be
 * changed before anything else.
 */
export type SessionState = 'signed-out' | 'active' | 'locked' | 'password-change-required';

/**
 * One renderer connection's login (a window, a WebSocket): each has its own, so closing
 * the window logs the officer out. Kept by main's auth service; the dispatcher asks it
 * before every request.
 */
export interface ApiSession {
  /** The officer logged in, also while the session is locked; null when signed out. */
  readonly officer: SignedInOfficer | null;
  /** The state now (an idle session is locked when asked, whether or not its timer has run). */
  state(): SessionState;
  /** The officer did something: the inactivity lock starts counting again. */
  touch(): void;
}

/** Who is calling: the session of the connection the call came on. */
export interface CallContext {
  readonly session: ApiSession;
}

/**
 * What the renderer sees as `window.mis`, whichever transport carries it (Electron's
 * preload or the headless shell's WebSocket). Nothing throws across it: requests resolve
 * to a Result, and a subscription reports a failure through `onError`.
 */
export interface MisBridge {
  request<N extends RequestName>(name: N, input: RequestInput<N>): Promise<Result<RequestOutput<N>>>;
  subscribe<N extends SubscriptionName>(
    name: N,
    input: SubscriptionInput<N>,
    onEvent: (event: SubscriptionEvent<N>) => void,
    onError: (error: ApiErrorValue) => void,
  ): () => void;
}

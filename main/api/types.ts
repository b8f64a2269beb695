import type { z } from 'zod';
import type { Contract } from './contract';
import type { ApiErrorValue, Result } from './errors';

export type RequestName = keyof Contract['requests'];
export type SubscriptionName = keyof Contract['subscriptions'];

export type RequestInput<N extends RequestName> = z.input<Contract['requests'][N]['input']>;
export type RequestOutput<N extends RequestName> = z.output<Contract['requests'][N]['output']>;
export type SubscriptionInput<N extends SubscriptionName> = z.input<Contract['subscriptions'][N]['input']>;
export type SubscriptionEvent<N extends SubscriptionName> = z.output<Contract['subscriptions'][N]['event']>;

/** Who is calling. Anonymous (officer null) until the officer logs in. */
export interface CallContext {
  officer: { id: string; name: string; role: 'officer' | 'supervisor' | 'admin' } | null;
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

import { RESYNC, type PullResponse, type PushResponse, type PushRow, type SyncedCollection, type WireDocument } from '../../domain/sync';

/** The header naming the officer a request acts for (the server's sync-server/auth/acting-officer.ts). */
const OFFICER_HEADER = 'x-mis-officer';

/**
 * Why a sync request failed, in the server's own vocabulary (its error code) or, when
 * the server was never reached or answered nothing usable, 'NETWORK' / 'TIMEOUT' /
 * 'BAD_RESPONSE'. Supervisors see the message; the sync service acts on the code.
 */
export class SyncRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number | null = null,
    /** The row of a push the server refused, when it says. */
    readonly row?: number,
    readonly recordId?: string,
  ) {
    super(message);
    this.name = 'SyncRequestError';
  }

  /** True when trying again later may help (the network, the server busy or restarting). */
  get transient(): boolean {
    return this.status === null || this.status >= 500 || this.status === 429 || this.status === 408;
  }
}

/** One entry of the server's conflict log: the version it kept and the one it set aside. */
export interface ServerConflict {
  number: number;
  collection: string;
  recordId: string;
  rule: string;
  detectedAt: number;
  kept: Record<string, unknown>;
  setAside: Record<string, unknown>;
}

export interface SyncClientOptions {
  serverUrl: string;
  /** The station credential, `mis1.<stationId>.<secret>`. */
  token: string;
  /** A request that takes longer fails with TIMEOUT (default 30 s). */
  timeoutMs?: number;
  /** A live stream that sends nothing for this long (the server's keep-alive comes every 15 s) is given up: TIMEOUT (default 45 s). */
  streamSilenceMs?: number;
}

function networkError(error: unknown, timeoutMs: number): SyncRequestError {
  const name = (error as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError') return new SyncRequestError('TIMEOUT', `The server did not answer within ${timeoutMs / 1000} s.`);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return new SyncRequestError('NETWORK', `The server cannot be reached (${cause?.code ?? cause?.message ?? (error as Error).message}).`);
}

async function failure(response: Response): Promise<SyncRequestError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown; row?: unknown; recordId?: unknown };
    if (typeof body.code === 'string' && typeof body.message === 'string') {
      return new SyncRequestError(body.code, body.message, response.status, typeof body.row === 'number' ? body.row : undefined, typeof body.recordId === 'string' ? body.recordId : undefined);
    }
  } catch {
    // Not our server's JSON (a proxy's error page): described by its status below.
  }
  return new SyncRequestError('BAD_RESPONSE', `The server answered ${response.status} ${response.statusText}.`, response.status);
}

/** The station's HTTP side of the sync protocol (see domain/sync). */
export class SyncClient {
  private readonly timeoutMs: number;
  private readonly baseUrl: string;

  constructor(private readonly options: SyncClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.baseUrl = options.serverUrl.replace(/\/+$/, '');
  }

  /** `officerId`: the logged-in officer the request acts for (X-MIS-Officer), which the server checks the role of. */
  private async request(path: string, init: RequestInit = {}, officerId?: string): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${this.options.token}`,
          ...(init.body ? { 'content-type': 'application/json' } : {}),
          ...(officerId ? { [OFFICER_HEADER]: officerId } : {}),
        },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw networkError(error, this.timeoutMs);
    }
    if (!response.ok) throw await failure(response);
    return response;
  }

  private async json<T>(response: Response): Promise<T> {
    try {
      return (await response.json()) as T;
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') throw networkError(error, this.timeoutMs);
      throw new SyncRequestError('BAD_RESPONSE', `The server's answer was cut off or is not JSON (${(error as Error).message}).`, response.status);
    }
  }

  async pull(collection: SyncedCollection, after: number, limit: number): Promise<PullResponse> {
    return (await this.pullWithText(collection, after, limit)).page;
  }

  /** A pull page, and the JSON text it came as (which the store can import without another copy). */
  async pullWithText(collection: SyncedCollection, after: number, limit: number): Promise<{ page: PullResponse; text: string }> {
    const response = await this.request(`/sync/${collection}/pull?after=${after}&limit=${limit}`);
    let text: string;
    let page: PullResponse;
    try {
      text = await response.text();
      page = JSON.parse(text) as PullResponse;
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') throw networkError(error, this.timeoutMs);
      throw new SyncRequestError('BAD_RESPONSE', `The server's answer was cut off or is not JSON (${(error as Error).message}).`, response.status);
    }
    if (!Array.isArray(page.documents) || typeof page.checkpoint?.sequence !== 'number') throw new SyncRequestError('BAD_RESPONSE', 'The pull answer has no documents or no checkpoint.', response.status);
    return { page, text };
  }

  async push(collection: SyncedCollection, rows: PushRow[]): Promise<PushResponse> {
    const response = await this.request(`/sync/${collection}/push`, { method: 'POST', body: JSON.stringify({ rows }) });
    const answer = await this.json<PushResponse>(response);
    if (!Array.isArray(answer.conflicts) || !Array.isArray(answer.stored)) throw new SyncRequestError('BAD_RESPONSE', 'The push answer lacks its conflicts or stored lists.', response.status);
    return answer;
  }

  /** The station's entries in the server's conflict log, oldest first; the officer must be a supervisor or admin. */
  async conflicts(officerId: string, after = 0): Promise<ServerConflict[]> {
    const response = await this.request(`/sync/conflicts?after=${after}`, {}, officerId);
    const answer = await this.json<{ conflicts: ServerConflict[] }>(response);
    if (!Array.isArray(answer.conflicts)) throw new SyncRequestError('BAD_RESPONSE', 'The conflict log answer has no list.', response.status);
    return answer.conflicts;
  }

  /** Changes the officer's own password on the server; answers with the officer's document as the station pulls it. */
  async changePassword(officerId: string, currentPassword: string, newPassword: string): Promise<WireDocument> {
    const body = JSON.stringify({ currentPassword, newPassword });
    const response = await this.request(`/sync/officers/${encodeURIComponent(officerId)}/password`, { method: 'POST', body }, officerId);
    const officer = await this.json<WireDocument>(response);
    if (officer?.id !== officerId || typeof officer.passwordHash !== 'string') throw new SyncRequestError('BAD_RESPONSE', 'The password change answer is not the officer.', response.status);
    return officer;
  }

  /**
   * Holds the collection's live stream open and calls `onResync` for every RESYNC the
   * server sends (the first comes as soon as it is open). Resolves when the stream ends,
   * rejects when it cannot be opened or breaks; the caller reconnects.
   */
  async stream(collection: SyncedCollection, onResync: () => void, signal: AbortSignal): Promise<void> {
    // The server writes at least a keep-alive every 15 s: a stream silent for longer than
    // the silence limit (the answer not begun, or a connection that died without a word,
    // as a dropped mobile link does) is given up, so that the caller opens a new one.
    const silenceMs = this.options.streamSilenceMs ?? 45_000;
    const watchdog = new AbortController();
    const stop = (): void => watchdog.abort();
    signal.addEventListener('abort', stop, { once: true });
    let silent = false;
    let timer: NodeJS.Timeout | undefined;
    const heard = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        silent = true;
        watchdog.abort();
      }, silenceMs);
    };
    const silence = (): SyncRequestError => new SyncRequestError('TIMEOUT', `The live stream from the server was silent for ${silenceMs / 1000} s; it is opened again.`);
    heard();
    try {
      let response: Response;
      try {
        response = await fetch(`${this.baseUrl}/sync/${collection}/stream`, { headers: { authorization: `Bearer ${this.options.token}`, accept: 'text/event-stream' }, signal: watchdog.signal });
      } catch (error) {
        throw silent ? silence() : networkError(error, this.timeoutMs);
      }
      if (!response.ok || !response.body) throw await failure(response);
      await this.readEvents(response.body, onResync, heard);
    } catch (error) {
      if (signal.aborted) return;
      if (silent) throw silence();
      throw error instanceof SyncRequestError ? error : networkError(error, this.timeoutMs);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
    }
  }

  /** Calls onResync for every RESYNC event of the stream, and heard for every chunk. */
  private async readEvents(body: ReadableStream<Uint8Array>, onResync: () => void, heard: () => void): Promise<void> {
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      heard();
      buffered += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffered.indexOf('\n\n')) >= 0) {
        const event = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (event.split('\n').some((line) => line === `data: ${RESYNC}`)) onResync();
      }
    }
  }
}

import type { DiscardedBytes } from '../types';

/**
 * What an incremental packet decoder hands back for the bytes pushed into it, in wire
 * order: whole packets, and stretches it could not use. Every byte pushed ends up in
 * exactly one packet, one discarded stretch, or the decoder's buffer (a packet still
 * arriving), so the counts always add up.
 */
export type DecodeEvent<P> = { kind: 'packet'; packet: P } | { kind: 'discarded'; discarded: DiscardedBytes };

/** A stretch before anything that looks like a packet header. */
export const NO_PACKET_START = 'no packet start';
/** A packet whose checksum does not match: damaged on the wire, or a header look-alike in noise. */
export const BAD_CHECKSUM = 'bad checksum';

export interface PacketDecoder<P> {
  push(bytes: Uint8Array): DecodeEvent<P>[];
  /** Bytes held back: the start of a packet still arriving. Never more than the longest packet. */
  buffered(): number;
  /** Forgets everything held back and expected (after a reconnect, nothing old is ours). */
  reset(): void;
}

/** Collects decode events, merging neighbouring discards of the same reason into one. */
export class DecodeEvents<P> {
  readonly events: DecodeEvent<P>[] = [];

  packet(packet: P): void {
    this.events.push({ kind: 'packet', packet });
  }

  discard(count: number, reason: string): void {
    if (count <= 0) return;
    const last = this.events.at(-1);
    if (last?.kind === 'discarded' && last.discarded.reason === reason) last.discarded.count += count;
    else this.events.push({ kind: 'discarded', discarded: { count, reason } });
  }
}

/**
 * Joins what was held back with what just arrived, as a plain Uint8Array: a Node Buffer's
 * slice() is a view into a pool the port reuses, a Uint8Array's is a copy a packet can keep.
 */
export function joinBytes(held: Uint8Array, arriving: Uint8Array): Uint8Array {
  if (held.length === 0) return new Uint8Array(arriving.buffer, arriving.byteOffset, arriving.byteLength);
  const joined = new Uint8Array(held.length + arriving.length);
  joined.set(held, 0);
  joined.set(arriving, held.length);
  return joined;
}

/** Sum of bytes[from, to) modulo 65536: both protocols' checksum. */
export function byteSum16(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum = (sum + bytes[i]!) & 0xffff;
  return sum;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

import { createHash } from 'node:crypto';
import type { WireDocument } from '../../domain/sync';

/**
 * The hash by which the store recognises a state it has already written (seenBefore):
 * sha256 (hex) of the document's canonical JSON. The server stamps `receivedAt` on every
 * write, so that field is left out: two pushes of the same content hash equal.
 */
export function documentHash(document: WireDocument): string {
  const { receivedAt: _stampedByServer, ...content } = document;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** The document as the server stores it: its receivedAt (when it has one) is the write's. */
export function stamped(document: WireDocument, receivedAt: number): WireDocument {
  return Object.hasOwn(document, 'receivedAt') ? { ...document, receivedAt } : { ...document };
}

/**
 * JSON with object keys sorted (recursively) and arrays in order, so that equal values
 * give equal text whatever order their keys were built or stored in (PostgreSQL's jsonb
 * reorders them). Keys whose value is undefined are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const members = Object.keys(object)
      .filter((key) => object[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

import { statSync } from 'node:fs';

/**
 * The documents of one collection that this process has recently written or read, kept
 * as objects on the main thread so that reading them again costs neither a trip to the
 * store worker nor a JSON parse. Documents are handed out as they are (RxDB treats what a
 * storage returns as read-only, as it does with its memory storage).
 *
 * It stays right because every write to the file goes through this process's storage and
 * updates the cache first; a file that was closed and is opened again is trusted only if
 * nobody changed it in between (see fileOpening).
 */
export class DocumentCache<Doc> {
  private readonly documents = new Map<string, Doc>();
  /**
   * How many documents match a selector (by its selectorText), learnt from a count or from
   * a query without skip or limit since the last write: a count of the same selector needs
   * no trip to the store. Any write forgets them all.
   */
  private readonly matchCounts = new Map<string, number>();
  /** Increases with every write: a read that overlapped a write does not fill the cache. */
  writes = 0;

  constructor(private readonly capacity: number) {}

  get(id: string): Doc | undefined {
    return this.documents.get(id);
  }

  /** Remembers documents as read from the store, unless a write came between the read and now. */
  rememberRead(documents: Doc[], idOf: (doc: Doc) => string, writesWhenAsked: number): void {
    if (writesWhenAsked !== this.writes) return;
    for (const doc of documents) this.put(idOf(doc), doc);
  }

  /**
   * Documents as just written (their new states). A bulk load bigger than a tenth of
   * the cache would only push out what officers are working with: its documents are
   * dropped from the cache instead (so that no older state of them stays), not added.
   */
  rememberWrite(documents: Doc[], idOf: (doc: Doc) => string): void {
    this.writes++;
    this.matchCounts.clear();
    if (documents.length > this.capacity / 10) {
      for (const doc of documents) this.documents.delete(idOf(doc));
      return;
    }
    for (const doc of documents) this.put(idOf(doc), doc);
  }

  clear(): void {
    this.writes++;
    this.documents.clear();
    this.matchCounts.clear();
  }

  /** The number of documents matching the selector, when known since the last write. */
  matchCount(selector: string): number | undefined {
    return this.matchCounts.get(selector);
  }

  /** Remembers how many documents match a selector, unless a write came between the read and now. */
  rememberMatchCount(selector: string, count: number, writesWhenAsked: number): void {
    if (writesWhenAsked !== this.writes) return;
    this.matchCounts.set(selector, count);
    // A screen asks a handful of counts between two writes; this only bounds a long read-only spell.
    if (this.matchCounts.size > maxMatchCounts) this.matchCounts.delete(this.matchCounts.keys().next().value!);
  }

  private put(id: string, doc: Doc): void {
    // Re-inserting moves the entry to the end: the oldest entries go first when full.
    this.documents.delete(id);
    this.documents.set(id, doc);
    if (this.documents.size > this.capacity) this.documents.delete(this.documents.keys().next().value!);
  }
}

const maxMatchCounts = 200;

function isPlainData(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isPlainData);
  if (typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return (prototype === Object.prototype || prototype === null) && Object.values(value).every(isPlainData);
}

/**
 * A selector as text that is the same for the same selector whatever the order of its
 * fields (RxDB writes `{ f: 1 }` as `{ f: { $eq: 1 } }` already); undefined for a selector
 * with a value that JSON would not tell apart (a RegExp, a Date), which is then not remembered.
 */
export function selectorText(selector: unknown): string | undefined {
  if (!isPlainData(selector)) return undefined;
  return JSON.stringify(selector, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : value,
  );
}

interface FileStamp {
  size: number;
  mtimeMs: number;
  walSize: number;
  walMtimeMs: number;
}

const cachesByFile = new Map<string, Map<string, DocumentCache<unknown>>>();
const stampsByFile = new Map<string, FileStamp>();

function stampOf(file: string): FileStamp | null {
  try {
    const main = statSync(file);
    const wal = statSync(`${file}-wal`, { throwIfNoEntry: false });
    return { size: main.size, mtimeMs: main.mtimeMs, walSize: wal?.size ?? -1, walMtimeMs: wal?.mtimeMs ?? -1 };
  } catch {
    return null;
  }
}

/** The cache of one collection (at one schema version) of a database file. */
export function documentCacheFor<Doc>(file: string, collectionKey: string, capacity: number): DocumentCache<Doc> {
  let caches = cachesByFile.get(file);
  if (!caches) cachesByFile.set(file, (caches = new Map()));
  let cache = caches.get(collectionKey);
  if (!cache) caches.set(collectionKey, (cache = new DocumentCache(capacity)));
  return cache as DocumentCache<Doc>;
}

/** The process closed the file: note how it looks, to know later whether anyone changed it. */
export function fileClosed(file: string): void {
  const stamp = stampOf(file);
  if (stamp) stampsByFile.set(file, stamp);
  else forgetFile(file);
}

/**
 * The process opens the file: its cached documents are kept only if the file is exactly
 * as this process left it (same size and modification time, WAL included).
 */
export function fileOpening(file: string): void {
  const before = stampsByFile.get(file);
  const now = stampOf(file);
  stampsByFile.delete(file);
  const unchanged = before && now && before.size === now.size && before.mtimeMs === now.mtimeMs && before.walSize === now.walSize && before.walMtimeMs === now.walMtimeMs;
  if (!unchanged) for (const cache of cachesByFile.get(file)?.values() ?? []) cache.clear();
}

/** The file is gone (removed): so are its caches. */
export function forgetFile(file: string): void {
  for (const cache of cachesByFile.get(file)?.values() ?? []) cache.clear();
  cachesByFile.delete(file);
  stampsByFile.delete(file);
}

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
    if (documents.length > this.capacity / 10) {
      for (const doc of documents) this.documents.delete(idOf(doc));
      return;
    }
    for (const doc of documents) this.put(idOf(doc), doc);
  }

  clear(): void {
    this.writes++;
    this.documents.clear();
  }

  private put(id: string, doc: Doc): void {
    // Re-inserting moves the entry to the end: the oldest entries go first when full.
    this.documents.delete(id);
    this.documents.set(id, doc);
    if (this.documents.size > this.capacity) this.documents.delete(this.documents.keys().next().value!);
  }
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

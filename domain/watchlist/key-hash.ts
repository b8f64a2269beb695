/**
 * 32-bit hashes of blocking keys, computed from the characters in place so that the
 * deletion variants of a name (SymSpell: the name with one letter left out) are
 * hashed without building a string for each.
 */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** murmur3's finaliser: spreads FNV's weak high bits, which pick the posting bucket. */
function finish(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of `text` without the character at `skip` (-1 keeps every character). */
export function keyHash(text: string, skip: number): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    if (i !== skip) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  }
  return finish(hash);
}

/**
 * Hashes of `text` and of every string one deletion away from it. Deleting either
 * letter of a double letter gives the same string; that variant is hashed once.
 */
export function deletionHashes(text: string, into: number[]): void {
  into.push(keyHash(text, -1));
  for (let skip = 0; skip < text.length; skip++) {
    if (skip > 0 && text.charCodeAt(skip) === text.charCodeAt(skip - 1)) continue;
    into.push(keyHash(text, skip));
  }
}

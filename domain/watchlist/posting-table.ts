/**
 * Blocking keys → numbers (of the dictionary's names), about a dozen keys a name. Keys
 * are 32-bit hashes, not strings: a few million strings would crowd the heap, and a
 * hash collision only adds a name that the comparison then rejects. Postings are
 * bucketed by the top bits of the hash (a counting sort), so a lookup reads a few
 * neighbouring entries of two typed arrays.
 */
export interface PostingTable {
  /** Calls `visit` with every number posted under `hash` (in no particular order). */
  forEach(hash: number, visit: (number: number) => void): void;
}

export class PostingTableBuilder {
  private hashes = new Uint32Array(1024);
  private numbers = new Uint32Array(1024);
  private count = 0;

  add(hash: number, number: number): void {
    if (this.count === this.hashes.length) {
      const hashes = new Uint32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
      const numbers = new Uint32Array(this.numbers.length * 2);
      numbers.set(this.numbers);
      this.numbers = numbers;
    }
    this.hashes[this.count] = hash;
    this.numbers[this.count] = number;
    this.count++;
  }

  build(): PostingTable {
    const count = this.count;
    // About four postings a bucket: short scans, and a directory a quarter the size of the postings.
    const bits = Math.min(24, Math.max(8, Math.ceil(Math.log2(Math.max(1, count / 4)))));
    const shift = 32 - bits;
    const starts = new Uint32Array((1 << bits) + 1);
    for (let i = 0; i < count; i++) {
      const next = ((this.hashes[i] ?? 0) >>> shift) + 1;
      starts[next] = (starts[next] ?? 0) + 1;
    }
    for (let b = 1; b < starts.length; b++) starts[b] = (starts[b] ?? 0) + (starts[b - 1] ?? 0);
    const fill = starts.slice(0, starts.length - 1);
    const hashes = new Uint32Array(count);
    const numbers = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      const hash = this.hashes[i] ?? 0;
      const at = fill[hash >>> shift] ?? 0;
      fill[hash >>> shift] = at + 1;
      hashes[at] = hash;
      numbers[at] = this.numbers[i] ?? 0;
    }
    this.hashes = new Uint32Array(0);
    this.numbers = new Uint32Array(0);
    return {
      forEach(hash: number, visit: (number: number) => void): void {
        const bucket = hash >>> shift;
        const end = starts[bucket + 1] ?? 0;
        for (let i = starts[bucket] ?? 0; i < end; i++) {
          if (hashes[i] === hash) visit(numbers[i] ?? 0);
        }
      },
    };
  }
}

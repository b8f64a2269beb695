// Rows of the distance table, kept between calls: the matcher compares thousands of
// names a query and must not allocate for each.
let rowBefore = new Int32Array(32);
let rowAbove = new Int32Array(32);
let row = new Int32Array(32);

/**
 * Optimal string alignment distance (Levenshtein plus the swap of two neighbouring
 * letters, the commonest typing slip), stopped early: returns `max + 1` as soon as
 * the distance is known to exceed `max`, so that comparing with a far name is cheap.
 */
export function editDistanceWithin(a: string, b: string, max: number): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (la === 0 || lb === 0) return Math.max(la, lb);
  if (row.length <= lb) {
    rowBefore = new Int32Array(lb + 1);
    rowAbove = new Int32Array(lb + 1);
    row = new Int32Array(lb + 1);
  }
  for (let j = 0; j <= lb; j++) rowAbove[j] = j;
  for (let i = 1; i <= la; i++) {
    row[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      let value = Math.min((rowAbove[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (rowAbove[j - 1] ?? 0) + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        value = Math.min(value, (rowBefore[j - 2] ?? 0) + 1);
      }
      row[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    [rowBefore, rowAbove, row] = [rowAbove, row, rowBefore];
  }
  const distance = rowAbove[lb] ?? max + 1;
  return distance <= max ? distance : max + 1;
}

/** Typos tolerated in a name of this length: none below 4 letters, 1 up to 7, 2 from 8. */
export function typosAllowed(length: number): number {
  if (length < 4) return 0;
  if (length < 8) return 1;
  return 2;
}

/**
 * Alerts grouped by one of their names (compressed rows: the alerts of name k are
 * `alerts[starts[k] .. starts[k+1])`), built with counting sorts, no comparisons.
 * Grouped by given names, each group is ordered by birth year, so that the alerts of
 * a common given name born in one year are a short slice found by binary search.
 */
export interface PeopleByName {
  starts: Uint32Array;
  alerts: Uint32Array;
}

export function groupByName(nameOf: Int32Array, isPerson: Uint8Array, names: number, yearOf?: Int32Array): PeopleByName {
  const count = nameOf.length;
  let order: Uint32Array = new Uint32Array(count);
  for (let n = 0; n < count; n++) order[n] = n;
  if (yearOf) order = countingSort(order, (n) => Math.max(0, Math.min(4095, yearOf[n] ?? 0)), 4096);
  const starts = new Uint32Array(names + 1);
  for (let n = 0; n < count; n++) if (isPerson[n]) starts[(nameOf[n] ?? 0) + 1] = (starts[(nameOf[n] ?? 0) + 1] ?? 0) + 1;
  for (let k = 1; k <= names; k++) starts[k] = (starts[k] ?? 0) + (starts[k - 1] ?? 0);
  const fill = starts.slice(0, names);
  const alerts = new Uint32Array(starts[names] ?? 0);
  for (const n of order) {
    if (!isPerson[n]) continue;
    const name = nameOf[n] ?? 0;
    const at = fill[name] ?? 0;
    alerts[at] = n;
    fill[name] = at + 1;
  }
  return { starts, alerts };
}

function countingSort(items: Uint32Array, keyOf: (item: number) => number, keys: number): Uint32Array {
  const starts = new Uint32Array(keys + 1);
  for (const item of items) starts[keyOf(item) + 1] = (starts[keyOf(item) + 1] ?? 0) + 1;
  for (let k = 1; k <= keys; k++) starts[k] = (starts[k] ?? 0) + (starts[k - 1] ?? 0);
  const sorted = new Uint32Array(items.length);
  for (const item of items) {
    const key = keyOf(item);
    const at = starts[key] ?? 0;
    sorted[at] = item;
    starts[key] = at + 1;
  }
  return sorted;
}

/** Calls `visit` with every alert of name `name`. */
export function forEachWithName(groups: PeopleByName, name: number, visit: (alertNumber: number) => void): void {
  const end = groups.starts[name + 1] ?? 0;
  for (let i = groups.starts[name] ?? 0; i < end; i++) visit(groups.alerts[i] ?? 0);
}

/** Calls `visit` with every alert of name `name` born in `year` (groups built with years). */
export function forEachWithNameBornIn(
  groups: PeopleByName,
  yearOf: Int32Array,
  name: number,
  year: number,
  visit: (alertNumber: number) => void,
): void {
  const end = groups.starts[name + 1] ?? 0;
  let lo = groups.starts[name] ?? 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((yearOf[groups.alerts[mid] ?? 0] ?? 0) < year) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < end; i++) {
    const n = groups.alerts[i] ?? 0;
    if ((yearOf[n] ?? 0) !== year) break;
    visit(n);
  }
}

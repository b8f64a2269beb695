import { jsonPath, orderKey, type FieldColumn, type TableLayout } from './table-layout';

/**
 * Translates RxDB's (normalised) Mango selectors and sorts into SQL over a table layout.
 * Whatever cannot be said in SQL with exactly Mango's meaning is left out and reported,
 * so that the caller filters or sorts those documents in JS with RxDB's own matcher.
 *
 * Meaning matters more than coverage here. A comparison is translated only when the value
 * has the field's schema type (Mango never matches across types; SQLite would), and
 * negations are made two-valued so that a missing field behaves as it does in Mango.
 */

export type SqlValue = string | number | Buffer | null;

export interface SqlCondition {
  sql: string;
  params: SqlValue[];
}

export interface TranslatedSelector {
  /** Conditions that every match satisfies; joined with AND (may be empty). */
  where: SqlCondition;
  /** False when part of the selector stayed out of `where`: the JS matcher must still run. */
  complete: boolean;
  /**
   * The columns of indexed fields whose exact values the selector names (equality or $in):
   * the matches are then few, and the index of those values should find them (see
   * translateSort). The deleted flag, which nearly every row shares, is not among them.
   */
  pinned: Set<string>;
  /** The columns that every match has at one value (an equality), the deleted flag included. */
  fixed: Set<string>;
}

type Selector = Record<string, unknown>;

const comparison: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

/** A value as the column holds it, or undefined when its type is not the field's type. */
function sqlValueFor(column: FieldColumn, value: unknown, asKey = column.stringsAsKeys): SqlValue | undefined {
  if (column.type === 'boolean') return typeof value === 'boolean' ? (value ? 1 : 0) : undefined;
  if (column.type === 'number') return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  return asKey ? orderKey(value) : value;
}

function and(conditions: SqlCondition[]): SqlCondition {
  if (conditions.length === 0) return { sql: '1', params: [] };
  if (conditions.length === 1) return conditions[0]!;
  return { sql: conditions.map((c) => `(${c.sql})`).join(' AND '), params: conditions.flatMap((c) => c.params) };
}

/** NOT over a condition that may be NULL for a missing field: in Mango, "not X" matches it. */
function not(condition: SqlCondition): SqlCondition {
  return { sql: `NOT COALESCE((${condition.sql}), 0)`, params: condition.params };
}

function fieldCondition(column: FieldColumn, path: string, operator: string, operand: unknown, layout: TableLayout): SqlCondition | null {
  const x = column.sql;
  switch (operator) {
    case '$eq': {
      if (operand === null) return { sql: `${x} IS NULL`, params: [] };
      const value = sqlValueFor(column, operand);
      return value === undefined ? null : { sql: `${x} = ?`, params: [value] };
    }
    case '$ne': {
      if (operand === null) return { sql: `${x} IS NOT NULL`, params: [] };
      const value = sqlValueFor(column, operand);
      return value === undefined ? null : { sql: `${x} IS NOT ?`, params: [value] };
    }
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      if (!column.orderedSql) return null;
      const value = sqlValueFor(column, operand, column.type === 'string');
      return value === undefined || value === null ? null : { sql: `${column.orderedSql} ${comparison[operator]} ?`, params: [value] };
    }
    case '$in':
    case '$nin': {
      if (!Array.isArray(operand)) return null;
      const withNull = operand.includes(null);
      const values = operand.filter((v) => v !== null).map((v) => sqlValueFor(column, v));
      if (values.some((v) => v === undefined)) return null;
      const list = values.length > 0 ? `${x} IN (${values.map(() => '?').join(', ')})` : '0';
      const inSet: SqlCondition = { sql: withNull ? `(${list} OR ${x} IS NULL)` : list, params: values as SqlValue[] };
      return operator === '$in' ? inSet : not(inSet);
    }
    case '$exists': {
      if (typeof operand !== 'boolean') return null;
      if (column.rowColumn) return { sql: operand ? '1' : '0', params: [] };
      const type = `json_type(data, ?)`;
      return { sql: operand ? `${type} IS NOT NULL` : `${type} IS NULL`, params: [jsonPath(path)] };
    }
    case '$not': {
      if (typeof operand !== 'object' || operand === null || Array.isArray(operand)) return null;
      const inner = fieldOperators(column, path, operand as Selector, layout);
      return inner ? not(inner) : null;
    }
    default:
      return null;
  }
}

function fieldOperators(column: FieldColumn, path: string, operators: Selector, layout: TableLayout): SqlCondition | null {
  // `{ field: {} }` compares the field with an empty object in Mango: leave it to RxDB's matcher.
  if (Object.keys(operators).length === 0) return null;
  const conditions: SqlCondition[] = [];
  for (const [operator, operand] of Object.entries(operators)) {
    const condition = fieldCondition(column, path, operator, operand, layout);
    if (!condition) return null;
    conditions.push(condition);
  }
  return and(conditions);
}

/** A whole selector in SQL, or null if any part of it cannot be said exactly. */
function exactly(selector: Selector, layout: TableLayout): SqlCondition | null {
  const conditions: SqlCondition[] = [];
  for (const [key, value] of Object.entries(selector)) {
    const condition = exactlyOne(key, value, layout);
    if (!condition) return null;
    conditions.push(condition);
  }
  return and(conditions);
}

function exactlyOne(key: string, value: unknown, layout: TableLayout): SqlCondition | null {
  if (key === '$and' || key === '$or' || key === '$nor') {
    if (!Array.isArray(value) || value.length === 0) return null;
    const parts = value.map((part) => (typeof part === 'object' && part !== null ? exactly(part as Selector, layout) : null));
    if (parts.some((part) => part === null)) return null;
    const conditions = parts as SqlCondition[];
    if (key === '$and') return and(conditions);
    const either: SqlCondition = { sql: conditions.map((c) => `(${c.sql})`).join(' OR '), params: conditions.flatMap((c) => c.params) };
    return key === '$or' ? either : not(either);
  }
  if (key.startsWith('$')) return null;
  const column = layout.fieldSql(key);
  if (!column) return null;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fieldCondition(column, key, '$eq', value, layout);
  }
  return fieldOperators(column, key, value as Selector, layout);
}

/**
 * The selector's top-level conjuncts are translated one by one, so that a query with one
 * odd condition (a $regex, say) still narrows by all the others in SQL.
 */
export function translateSelector(selector: Selector, layout: TableLayout): TranslatedSelector {
  const conditions: SqlCondition[] = [];
  let complete = true;
  const conjuncts: [string, unknown][] = [];
  for (const [key, value] of Object.entries(selector)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const part of value) {
        if (typeof part === 'object' && part !== null) conjuncts.push(...Object.entries(part as Selector));
        else complete = false;
      }
    } else {
      conjuncts.push([key, value]);
    }
  }
  const pinned = new Set<string>();
  const fixed = new Set<string>();
  for (const [key, value] of conjuncts) {
    const condition = exactlyOne(key, value, layout);
    if (!condition) {
      complete = false;
      continue;
    }
    conditions.push(condition);
    const column = layout.fieldSql(key)?.orderedSql;
    if (!column || column.startsWith('json_extract')) continue;
    if (namesExactValues(key, value)) pinned.add(column);
    if (fixesOneValue(value)) fixed.add(column);
  }
  return { where: and(conditions), complete, pinned, fixed };
}

/** `field: value` or `$eq`, not null: the field has that one value in every match. */
function fixesOneValue(value: unknown): boolean {
  const operand = typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && '$eq' in value ? (value as Selector).$eq : value;
  return operand !== null && typeof operand !== 'object';
}

/** An equality or $in (of values other than null) on a field other than the deleted flag. */
function namesExactValues(key: string, value: unknown): boolean {
  if (key === '_deleted') return false;
  if (typeof value !== 'object' || value === null) return true;
  const operators = value as Selector;
  if ('$eq' in operators) return operators.$eq !== null;
  return Array.isArray(operators.$in) && operators.$in.length > 0 && !operators.$in.includes(null);
}

export type SortPart = Record<string, 'asc' | 'desc'>;

/**
 * ORDER BY for the sort, or null when a sort field cannot be ordered in SQL exactly as RxDB
 * orders it. When the selector pinpoints its matches (`pinned`), the terms are written so
 * that no index can serve the ORDER BY (`+column`): SQLite then finds the rows through the
 * index of the exact values and sorts the few it found, instead of walking a whole other
 * index in sort order. RxDB adds a sort by its first index to every query without one, and
 * SQLite's sampled statistics can make that walk look cheap: at a million rows it took
 * 19 s instead of 8 ms. Unless one index does both: led by columns the selector fixes at
 * one value, every pinned column among them, and going on in the sort's order (the
 * station's latest audit entry, a page of its trail). Its rows then come in order and the
 * page ends the search: sorting every match took 60 ms to find the latest of 200,000 audit
 * entries, the index 0.4 ms.
 */
export function translateSort(sort: readonly SortPart[], layout: TableLayout, selector?: Pick<TranslatedSelector, 'pinned' | 'fixed'>): string | null {
  const terms: { column: string; direction: 'ASC' | 'DESC' }[] = [];
  for (const part of sort) {
    const [field, direction] = Object.entries(part)[0] ?? [];
    if (!field) return null;
    const column = layout.fieldSql(field);
    // A missing value sorts differently in SQL (NULL first) and in RxDB: sort those in JS.
    if (!column || !column.alwaysPresent || !column.orderedSql) return null;
    terms.push({ column: column.orderedSql, direction: direction === 'desc' ? 'DESC' : 'ASC' });
  }
  const byFilterIndex = selector !== undefined && selector.pinned.size > 0 && !servedByPinningIndex(terms, selector, layout);
  return terms.map(({ column, direction }) => `${byFilterIndex ? '+' : ''}${column} ${direction}`).join(', ');
}

/**
 * Whether an index is led by fixed columns, every pinned column among them, and goes on
 * with the sort's other columns in their order. SQLite then finds the matches and their
 * order in that one index (mixed directions it sorts in small groups), and no other index
 * finds them by more of their exact values.
 */
function servedByPinningIndex(terms: readonly { column: string }[], { pinned, fixed }: Pick<TranslatedSelector, 'pinned' | 'fixed'>, layout: TableLayout): boolean {
  const open = terms.filter(({ column }) => !fixed.has(column));
  return layout.indexColumns.some((columns) => {
    let at = 0;
    while (at < columns.length && fixed.has(columns[at]!)) at++;
    const leading = new Set(columns.slice(0, at));
    return [...pinned].every((column) => leading.has(column)) && open.every(({ column }, n) => columns[at + n] === column);
  });
}

import { getPrimaryFieldOfPrimaryKey, getSchemaByObjectPath, type RxJsonSchema } from 'rxdb';

/**
 * How one RxDB collection (at one schema version) is laid out in SQLite. Each document is
 * a row: its id, its deleted flag, its last-write time, its revision and its JSON. Every
 * field that appears in one of the schema's indexes gets a column of its own, filled when
 * the document is written, and every schema index becomes a real SQLite index over those
 * columns, so that SQLite's own planner can use them for selectors, sorts, ranges and
 * counts.
 *
 * Strings must order as JavaScript orders them (by UTF-16 code unit), which is how RxDB
 * sorts; SQLite orders text by its UTF-8 bytes, which differs for characters above U+FFFF.
 * So indexed strings, and the id (`id_order`, the table's one unique key), are stored as
 * order keys (see orderKey): blobs whose byte order is exactly the code unit order.
 */

export type ScalarType = 'string' | 'number' | 'boolean';

export interface FieldColumn {
  /** The SQL expression for equality tests: a column name or a json_extract over the document. */
  sql: string;
  /** True when string values in `sql` are order keys (see orderKey). */
  stringsAsKeys: boolean;
  /** The expression for ranges and sorting in JavaScript's order, with string values as keys; null when there is none. */
  orderedSql: string | null;
  type: ScalarType;
  /** True when every document has the field (required along its whole path), so SQL may sort on it. */
  alwaysPresent: boolean;
  /** One of the row's own columns (id, deleted, lwt, rev), present in every row. */
  rowColumn?: true;
}

export interface TableLayout {
  docsTable: string;
  /**
   * The indexed fields stored in columns of their own, in column order. Their values are
   * taken from the document in JS when it is written (see indexedValues), so SQLite never
   * parses the JSON to maintain an index.
   */
  indexedFields: { path: string; column: string; type: ScalarType }[];
  attachmentsTable: string;
  /**
   * Large bulks of new documents, written here first and acknowledged, then filed into the
   * documents table (see CollectionStore.bulkInsertNew): one row per bulk, its documents as
   * V8 serialized them (earlier versions wrote the UTF-8 of a JSON array).
   */
  journalTable: string;
  primaryPath: string;
  hasAttachments: boolean;
  /** Field path -> how to read it in SQL. Only scalar fields with a known type are here. */
  fieldSql(path: string): FieldColumn | null;
  createStatements: string[];
  /**
   * The indexes dropped during a bulk load and built again after it: the ids' unique one,
   * the schema's and RxDB's own, except those led by the write time.
   */
  indexNames: string[];
  /** The columns of each index of the schema, in index order (see translateSort). */
  indexColumns: string[][];
}

type JsonSchemaNode = { type?: string | string[]; properties?: Record<string, JsonSchemaNode>; required?: string[] };

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A JSON path for SQLite's json functions, with every key quoted so that any field name is safe. */
export function jsonPath(path: string): string {
  return '$' + path.split('.').map((key) => `."${key.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join('');
}

export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function scalarTypeOf(node: JsonSchemaNode | undefined): ScalarType | null {
  const type = Array.isArray(node?.type) ? (node.type.length === 1 ? node.type[0] : undefined) : node?.type;
  if (type === 'string') return 'string';
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'boolean') return 'boolean';
  return null;
}

function requiredAlongPath(schema: JsonSchemaNode, path: string): boolean {
  let node: JsonSchemaNode | undefined = schema;
  for (const key of path.split('.')) {
    if (!node?.required?.includes(key)) return false;
    node = node.properties?.[key];
  }
  return true;
}

/** Table names carry the collection and schema version: a migration writes a new table beside the old one. */
function tableNamesFor(collectionName: string, schemaVersion: number): { docsTable: string; attachmentsTable: string; journalTable: string } {
  const base = `${collectionName}__v${schemaVersion}`;
  return { docsTable: `docs:${base}`, attachmentsTable: `attachments:${base}`, journalTable: `journal:${base}` };
}

/** The unique index of a documents table's ids. */
export function idIndexName(docsTable: string): string {
  return `${docsTable}:id`;
}

export function tableLayoutFor<T>(collectionName: string, schema: RxJsonSchema<T>): TableLayout {
  const primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey as never) as string;
  const { docsTable, attachmentsTable, journalTable } = tableNamesFor(collectionName, schema.version);
  const root = schema as unknown as JsonSchemaNode;
  const indexes = (schema.indexes ?? []).map((index) => (Array.isArray(index) ? [...index] : [index as string]));

  const generated = new Map<string, string>();
  const fixedColumns: Record<string, FieldColumn> = {
    [primaryPath]: { sql: 'id_order', stringsAsKeys: true, orderedSql: 'id_order', type: 'string', alwaysPresent: true, rowColumn: true },
    _deleted: { sql: 'deleted', stringsAsKeys: false, orderedSql: 'deleted', type: 'boolean', alwaysPresent: true, rowColumn: true },
    '_meta.lwt': { sql: 'lwt', stringsAsKeys: false, orderedSql: 'lwt', type: 'number', alwaysPresent: true, rowColumn: true },
    _rev: { sql: 'rev', stringsAsKeys: false, orderedSql: null, type: 'string', alwaysPresent: true, rowColumn: true },
  };
  const cache = new Map<string, FieldColumn | null>();

  const fieldSql = (path: string): FieldColumn | null => {
    const fixed = fixedColumns[path];
    if (fixed) return fixed;
    if (cache.has(path)) return cache.get(path)!;
    const type = scalarTypeOf(getSchemaByObjectPath(schema as never, path) as JsonSchemaNode | undefined);
    const own = generated.get(path);
    let column: FieldColumn | null = null;
    if (type && own) {
      column = { sql: own, stringsAsKeys: type === 'string', orderedSql: own, type, alwaysPresent: requiredAlongPath(root, path) };
    } else if (type) {
      // Read out of the JSON: text in UTF-8 order, so strings are compared here for equality only.
      const extracted = `json_extract(data, ${sqlString(jsonPath(path))})`;
      column = { sql: extracted, stringsAsKeys: false, orderedSql: type === 'string' ? null : extracted, type, alwaysPresent: requiredAlongPath(root, path) };
    }
    cache.set(path, column);
    return column;
  };

  for (const path of new Set(indexes.flat())) {
    if (fixedColumns[path] || !scalarTypeOf(getSchemaByObjectPath(schema as never, path) as JsonSchemaNode | undefined)) continue;
    generated.set(path, `f${generated.size}`);
  }

  const docs = quoteIdentifier(docsTable);
  const indexedFields = [...generated].map(([path, column]) => ({ path, column, type: fieldSql(path)!.type }));
  const indexedColumns = indexedFields.map(({ column }) => `, ${column}`);
  const createStatements = [
    `CREATE TABLE IF NOT EXISTS ${docs} (id_order BLOB NOT NULL, deleted INTEGER NOT NULL, lwt REAL NOT NULL, rev TEXT NOT NULL, data TEXT NOT NULL${indexedColumns.join('')})`,
    `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(attachmentsTable)} (document_id TEXT NOT NULL, attachment_id TEXT NOT NULL, digest TEXT NOT NULL, type TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (document_id, attachment_id)) WITHOUT ROWID`,
    `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(journalTable)} (seq INTEGER PRIMARY KEY, documents BLOB NOT NULL)`,
  ];
  // The id's uniqueness is an index of its own, not a column constraint, so that a bulk
  // load can set it aside with the others: a watchlist's ids come in no order, and a
  // million random inserts into it would rewrite its pages over and over.
  const idIndex = idIndexName(docsTable);
  createStatements.push(`CREATE UNIQUE INDEX IF NOT EXISTS ${quoteIdentifier(idIndex)} ON ${docs} (id_order)`);
  const indexNames: string[] = [idIndex];
  const indexColumns: string[][] = [];
  indexes.forEach((fields, position) => {
    const columns = fields.map((field) => fieldSql(field)?.orderedSql).filter((sql): sql is string => typeof sql === 'string' && !sql.startsWith('json_extract'));
    if (columns.length === 0) return;
    indexColumns.push(columns);
    const name = `${docsTable}:i${position}:${fields.join(',')}`.slice(0, 200);
    // An index led by the write time grows at its end only (a bulk load's pages come one
    // after another, each with a later time): it is kept up during a bulk load, since
    // adding to its end costs less than building it again.
    if (columns[0] !== 'lwt') indexNames.push(name);
    createStatements.push(`CREATE INDEX IF NOT EXISTS ${quoteIdentifier(name)} ON ${docs} (${columns.join(', ')})`);
  });

  return { docsTable, attachmentsTable, journalTable, primaryPath, hasAttachments: Boolean(schema.attachments), indexedFields, fieldSql, createStatements, indexNames, indexColumns };
}

/**
 * The values of the indexed columns for a document, as SQLite would read them out of its
 * JSON: booleans as 1/0, a missing field or a value of another type as NULL.
 */
export function indexedValues(layout: TableLayout, doc: Record<string, unknown>): (Buffer | number | null)[] {
  return layout.indexedFields.map(({ path, type }) => {
    let value: unknown = doc;
    for (const key of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    if (type === 'boolean') return typeof value === 'boolean' ? (value ? 1 : 0) : null;
    if (type === 'number') return typeof value === 'number' && Number.isFinite(value) ? value : null;
    return typeof value === 'string' ? orderKey(value) : null;
  });
}

const surrogate = /[\uD800-\uDFFF]/;

/** Whether the order key of a string is simply its UTF-8 (true unless it holds a surrogate), as SQLite's CAST(text AS BLOB) makes it. */
export function orderKeyIsUtf8(value: string): boolean {
  return !surrogate.test(value);
}

/**
 * A string as a key whose bytes, compared one by one, order as JavaScript orders strings
 * (by UTF-16 code unit). Each code unit is written as UTF-8 writes a character of that
 * value (CESU-8): UTF-8 keeps the order of values, and no unit's bytes are the start of
 * another's, so the first differing unit decides, as in JavaScript. For a string without
 * surrogates this is exactly its UTF-8, one byte per ASCII character: half the size of
 * UTF-16, which every index entry and row carries.
 */
export function orderKey(value: string): Buffer {
  if (orderKeyIsUtf8(value)) return Buffer.from(value, 'utf8');
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit < 0x80) bytes.push(unit);
    else if (unit < 0x800) bytes.push(0xc0 | (unit >> 6), 0x80 | (unit & 0x3f));
    else bytes.push(0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f));
  }
  return Buffer.from(bytes);
}

/** Code units decoded from order keys, reused: one string is made per key, not one per character. */
let decodedUnits = new Uint16Array(256);
let decodedBytes = Buffer.from(decodedUnits.buffer);

/** The string whose order key is the first `length` bytes of `key` (1 to 3 bytes per code unit). */
function decodeOrderKey(key: Uint8Array, length: number): string {
  // No key has more code units than bytes.
  if (decodedUnits.length < length) {
    decodedUnits = new Uint16Array(length);
    decodedBytes = Buffer.from(decodedUnits.buffer);
  }
  const units = decodedUnits;
  let count = 0;
  for (let i = 0; i < length; ) {
    const lead = key[i]!;
    if (lead < 0x80) {
      units[count++] = lead;
      i += 1;
    } else if (lead < 0xe0) {
      units[count++] = ((lead & 0x1f) << 6) | (key[i + 1]! & 0x3f);
      i += 2;
    } else {
      units[count++] = ((lead & 0x0f) << 12) | ((key[i + 1]! & 0x3f) << 6) | (key[i + 2]! & 0x3f);
      i += 3;
    }
  }
  return decodedBytes.toString('utf16le', 0, count * 2);
}

/** The string back from its order key. */
export function fromOrderKey(key: Uint8Array): string {
  // A surrogate's three bytes start with 0xED followed by 0xA0-0xBF; UTF-8 has none.
  for (let i = key.indexOf(0xed); i !== -1 && i < key.length - 1; i = key.indexOf(0xed, i + 1)) {
    if (key[i + 1]! >= 0xa0) return decodeOrderKey(key, key.length);
  }
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('utf8');
}

/** Order keys given as hexadecimal are read into this, reused likewise. */
let keyBytes = new Uint8Array(256);

/** The value of a hexadecimal digit's character code (0-9, A-F, a-f). */
function hexDigit(code: number): number {
  return code <= 0x39 ? code - 0x30 : (code | 0x20) - 0x57;
}

/**
 * The string back from its order key written in hexadecimal (from `start` on), as SQLite's
 * hex() gives it: read here digit by digit, in half the time of a Buffer made of it.
 */
export function fromOrderKeyHex(hex: string, start = 0): string {
  const length = (hex.length - start) >> 1;
  if (keyBytes.length < length) keyBytes = new Uint8Array(length);
  for (let i = 0, at = start; i < length; i++, at += 2) keyBytes[i] = (hexDigit(hex.charCodeAt(at)) << 4) | hexDigit(hex.charCodeAt(at + 1));
  return decodeOrderKey(keyBytes, length);
}

/** The order key of a key written by store format 3 (UTF-16BE), for the migration to format 4. */
export function orderKeyFromUtf16(key: Uint8Array): Buffer {
  return orderKey(Buffer.from(key).swap16().toString('utf16le'));
}

import { getPrimaryFieldOfPrimaryKey, getSchemaByObjectPath, type RxJsonSchema } from 'rxdb';

/**
 * How one RxDB collection (at one schema version) is laid out in SQLite. Each document is
 * a row: its id, its deleted flag, its last-write time, its revision and its JSON. Every
 * field that appears in one of the schema's indexes gets a column of its own, filled when
 * the document is written, and every schema index becomes a real SQLite index over those
 * columns, so
 * that SQLite's own planner can use them for selectors, sorts, ranges and counts.
 */

export type ScalarType = 'string' | 'number' | 'boolean';

export interface FieldColumn {
  /** The SQL expression for the field: a column name or a json_extract over the document. */
  sql: string;
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
  primaryPath: string;
  hasAttachments: boolean;
  /** Field path -> how to read it in SQL. Only scalar fields with a known type are here. */
  fieldSql(path: string): FieldColumn | null;
  createStatements: string[];
}

type JsonSchemaNode = { type?: string | string[]; properties?: Record<string, JsonSchemaNode>; required?: string[] };

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A JSON path for SQLite's json functions, with every key quoted so that any field name is safe. */
export function jsonPath(path: string): string {
  return '$' + path.split('.').map((key) => `."${key.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join('');
}

function sqlString(value: string): string {
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
export function tableNamesFor(collectionName: string, schemaVersion: number): { docsTable: string; attachmentsTable: string } {
  const base = `${collectionName}__v${schemaVersion}`;
  return { docsTable: `docs:${base}`, attachmentsTable: `attachments:${base}` };
}

export function tableLayoutFor<T>(collectionName: string, schema: RxJsonSchema<T>): TableLayout {
  const primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey as never) as string;
  const { docsTable, attachmentsTable } = tableNamesFor(collectionName, schema.version);
  const root = schema as unknown as JsonSchemaNode;
  const indexes = (schema.indexes ?? []).map((index) => (Array.isArray(index) ? [...index] : [index as string]));

  const generated = new Map<string, string>();
  const fixedColumns: Record<string, FieldColumn> = {
    [primaryPath]: { sql: 'id', type: 'string', alwaysPresent: true, rowColumn: true },
    _deleted: { sql: 'deleted', type: 'boolean', alwaysPresent: true, rowColumn: true },
    '_meta.lwt': { sql: 'lwt', type: 'number', alwaysPresent: true, rowColumn: true },
    _rev: { sql: 'rev', type: 'string', alwaysPresent: true, rowColumn: true },
  };
  const cache = new Map<string, FieldColumn | null>();

  const fieldSql = (path: string): FieldColumn | null => {
    const fixed = fixedColumns[path];
    if (fixed) return fixed;
    if (cache.has(path)) return cache.get(path)!;
    const type = scalarTypeOf(getSchemaByObjectPath(schema as never, path) as JsonSchemaNode | undefined);
    const column = type
      ? { sql: generated.get(path) ?? `json_extract(data, ${sqlString(jsonPath(path))})`, type, alwaysPresent: requiredAlongPath(root, path) }
      : null;
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
    `CREATE TABLE IF NOT EXISTS ${docs} (id TEXT NOT NULL PRIMARY KEY, deleted INTEGER NOT NULL, lwt REAL NOT NULL, rev TEXT NOT NULL, data TEXT NOT NULL${indexedColumns.join('')})`,
    `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(attachmentsTable)} (document_id TEXT NOT NULL, attachment_id TEXT NOT NULL, digest TEXT NOT NULL, type TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (document_id, attachment_id)) WITHOUT ROWID`,
  ];
  indexes.forEach((fields, position) => {
    const columns = fields.map((field) => fieldSql(field)?.sql).filter((sql): sql is string => sql !== undefined && !sql.startsWith('json_extract'));
    if (columns.length === 0) return;
    createStatements.push(`CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${docsTable}:i${position}:${fields.join(',')}`.slice(0, 200))} ON ${docs} (${columns.join(', ')})`);
  });

  return { docsTable, attachmentsTable, primaryPath, hasAttachments: Boolean(schema.attachments), indexedFields, fieldSql, createStatements };
}

/**
 * The values of the indexed columns for a document, as SQLite would read them out of its
 * JSON: booleans as 1/0, a missing field or a value of another type as NULL.
 */
export function indexedValues(layout: TableLayout, doc: Record<string, unknown>): (string | number | null)[] {
  return layout.indexedFields.map(({ path, type }) => {
    let value: unknown = doc;
    for (const key of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    if (type === 'boolean') return typeof value === 'boolean' ? (value ? 1 : 0) : null;
    if (type === 'number') return typeof value === 'number' && Number.isFinite(value) ? value : null;
    return typeof value === 'string' ? value : null;
  });
}

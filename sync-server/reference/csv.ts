/**
 * Reads CSV as RFC 4180 writes it: comma-separated, fields optionally in double quotes,
 * a quote inside a quoted field doubled, line breaks inside quotes kept. The first row
 * names the columns. Throws on a quote left open or a row of the wrong width, naming
 * the line, so that an import of a broken file stops before anything is written.
 */
export function parseCsv(text: string): Record<string, string>[] {
  const rows = splitRows(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const header = rows.shift();
  if (!header) return [];
  const columns = header.fields.map((name) => name.trim());
  return rows.map(({ fields, line }) => {
    if (fields.length !== columns.length) throw new Error(`CSV line ${line} has ${fields.length} fields; the header names ${columns.length}.`);
    return Object.fromEntries(columns.map((column, index) => [column, fields[index]!]));
  });
}

function splitRows(text: string): { fields: string[]; line: number }[] {
  const rows: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const endRow = (): void => {
    fields.push(field);
    // A blank line is no row.
    if (fields.length > 1 || fields[0] !== '') rows.push({ fields, line: rowLine });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        field += char;
      }
      i++;
      continue;
    }
    if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else field += char;
    i++;
  }
  if (quoted) throw new Error(`CSV line ${rowLine}: a quoted field is not closed.`);
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}

// Reads a labelled data set from CSV text: one example per row, the feature
// columns then a 0/1 label. A file is read whole and every error names the
// 1-based line, so a user can open the file and go straight to the problem.
import { FileFormatError } from '../errors.ts';
import type { Dataset } from '../types.ts';

// A plain decimal number; Number() alone would also take '', '0x1f' and ' '.
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// Spellings of non-finite values that are numbers in intent, not header names.
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/**
 * Splits one line on the delimiter. Fields may be quoted ("1.5", with "" for a
 * literal quote) and padded with spaces; both are removed.
 */
function splitFields(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inQuotes) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        inQuotes = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field.trim() === '') {
      inQuotes = true;
      field = '';
    } else if (c === delimiter) {
      fields.push(field.trim());
      field = '';
    } else {
      field += c;
    }
  }
  // An unclosed quote would swallow the rest of the line into one field.
  if (inQuotes) throw new SyntaxError('a quoted field is not closed (missing ")');
  fields.push(field.trim());
  return fields;
}

/**
 * The delimiter is ',' unless the first row has no comma; then ';' or tab if it
 * has one. The rest of the file must use the same one, which the column count
 * check enforces.
 */
function detectDelimiter(firstRow: string): string {
  if (firstRow.includes(',')) return ',';
  if (firstRow.includes(';')) return ';';
  if (firstRow.includes('\t')) return '\t';
  return ',';
}

const isNumeric = (field: string): boolean => NUMBER.test(field) || NON_FINITE.test(field);

/**
 * Parses CSV text into a Dataset named after the file. X is transposed into the
 * notes' layout, (n0, m) with one example per column; Y is (1, m).
 */
export function parseCsv(text: string, file = 'CSV'): Dataset {
  // Line numbers count every physical line, blank ones included, as an editor does.
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const rows: { line: number; fields: string[] }[] = [];
  let delimiter = '';
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return; // blank lines (e.g. at the end) carry no example
    if (!delimiter) delimiter = detectDelimiter(raw);
    try {
      rows.push({ line: i + 1, fields: splitFields(raw, delimiter) });
    } catch (e) {
      throw new FileFormatError(file, i + 1, (e as Error).message);
    }
  });
  if (rows.length === 0) throw new FileFormatError(file, null, 'no data rows: the file is empty');

  // A header is a first row with any field that is not a number.
  const header = rows[0].fields.some((f) => !isNumeric(f)) ? rows[0] : null;
  const columns = rows[0].fields.length;
  if (columns < 2) {
    throw new FileFormatError(
      file,
      rows[0].line,
      `found ${columns} column; need at least 2 (one or more feature columns, then a 0/1 label column)`,
    );
  }
  const dataRows = header ? rows.slice(1) : rows;
  if (dataRows.length === 0) {
    throw new FileFormatError(file, null, 'no data rows: only a header');
  }

  const n0 = columns - 1;
  const m = dataRows.length;
  const columnName = (c: number): string =>
    `column ${c + 1}${header && header.fields[c] ? ` ("${header.fields[c]}")` : ''}`;
  // X is (n0, m): feature i of example j at X[i * m + j]. Y is (1, m).
  const X = new Float32Array(n0 * m);
  const Y = new Float32Array(m);
  dataRows.forEach(({ line, fields }, j) => {
    if (fields.length !== columns) {
      const source = header ? 'the header' : 'the first row';
      throw new FileFormatError(file, line, `expected ${columns} columns (as in ${source}), found ${fields.length}`);
    }
    fields.forEach((field, c) => {
      if (!NUMBER.test(field)) {
        const what = NON_FINITE.test(field) ? 'a non-finite value' : 'not a number';
        throw new FileFormatError(file, line, `${columnName(c)}: ${JSON.stringify(field)} is ${what}`);
      }
      const value = Number(field);
      // '1e400' passes the pattern but is Infinity; '1e39' is finite yet overflows float32.
      if (!Number.isFinite(Math.fround(value))) {
        throw new FileFormatError(file, line, `${columnName(c)}: ${field} is a non-finite value in float32`);
      }
      if (c < n0) {
        X[c * m + j] = value;
      } else if (value === 0 || value === 1) {
        Y[j] = value;
      } else {
        throw new FileFormatError(file, line, `${columnName(c)}: label ${field} must be 0 or 1`);
      }
    });
  });
  return { name: file, n0, m, X, Y };
}

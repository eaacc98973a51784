// Reads a labelled data set from CSV text: one example per row, the feature
// columns then the target: a 0/1 label (parseCsv), or for parseCsvData a class id
// or a real number, the task inferred when not given. A file is read whole and
// every error names the 1-based line, so a user can open the file and go straight
// to the problem.
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

/** What a CSV's last column holds: 0/1 labels only (parseCsv), class ids, or real targets. */
export type CsvTask = 'binary' | 'classify' | 'regress';

/**
 * A data set from CSV text with the task of its last column: `task` as given, or
 * inferred (all values non-negative integers: classify with K = largest + 1
 * classes, at least 2; otherwise regress). Class ids must be non-negative
 * integers, named by line when not.
 */
export function parseCsvData(text: string, file = 'CSV', task?: 'classify' | 'regress'): { data: Dataset; task: 'classify' | 'regress'; classes: number; inferred: boolean } {
  const { data, lines } = readCsv(text, file, 'target');
  const isClassId = (y: number) => Number.isInteger(y) && y >= 0;
  const chosen = task ?? (Array.from(data.Y).every(isClassId) ? 'classify' : 'regress');
  let classes = 0;
  if (chosen === 'classify') {
    data.Y.forEach((y, j) => {
      if (!isClassId(y)) throw new FileFormatError(file, lines[j], `last column: ${y} is not a class id (an integer 0, 1, 2, …) as --task classify needs`);
      classes = Math.max(classes, y + 1);
    });
    classes = Math.max(2, classes);
  }
  return { data, task: chosen, classes, inferred: task === undefined };
}

/**
 * Parses CSV text into a Dataset named after the file. X is transposed into the
 * notes' layout, (n0, m) with one example per column; Y is (1, m) of 0/1 labels.
 */
export function parseCsv(text: string, file = 'CSV'): Dataset {
  return readCsv(text, file, 'binary').data;
}

function readCsv(text: string, file: string, target: 'binary' | 'target'): { data: Dataset; lines: number[] } {
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

  // A header is a row of names: every field not a number. A first row that mixes
  // numbers and text is a broken data row, not a header to drop silently.
  const texts = rows[0].fields.map((f) => !isNumeric(f));
  const header = texts.every(Boolean) ? rows[0] : null;
  if (!header && texts.some(Boolean)) {
    const c = texts.indexOf(true);
    throw new FileFormatError(
      file,
      rows[0].line,
      `column ${c + 1}: ${JSON.stringify(rows[0].fields[c])} is not a number, and the row is not a header (a header names every column; this row has numbers too)`,
    );
  }
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
      } else if (target === 'target' || value === 0 || value === 1) {
        Y[j] = value;
      } else {
        throw new FileFormatError(file, line, `${columnName(c)}: label ${field} must be 0 or 1`);
      }
    });
  });
  return { data: { name: file, n0, m, X, Y }, lines: dataRows.map((r) => r.line) };
}

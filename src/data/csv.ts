// Reads a labelled data set from CSV text: one example per row, the feature
// columns then the target. parseCsvData reads the target by the label rules below
// (the README's "Your own data"); parseCsv is the strict two-class reader (0/1
// labels). A file is read whole and every error names the 1-based line, so a user
// can open the file and go straight to the problem.
//
// The label rules, one owner for the CLI, the library and the playground:
// - Text labels ("M"/"B", "setosa", "yes"/"no") are classes, numbered in sorted
//   (code-unit) order; the names are kept (model.json, ONNX metadata, predictions).
// - Integer labels are class ids as they are when they are 0/1, or exactly
//   0, 1, …, K−1 with every value present and at least MIN_PER_CLASS rows per class
//   on average. Other integers with at most MAX_RENAMED_CLASSES distinct values and
//   as many rows per class (1-based ids, −1/1, ids with gaps) are classes renumbered
//   in increasing order, the mapping kept. Anything else is a regression target.
// - --task (options.task) always decides.
import type { DataNames } from '../model/model-json.ts';
import { FileFormatError } from '../errors.ts';
import type { Dataset } from '../types.ts';

// A plain decimal number; Number() alone would also take '', '0x1f' and ' '.
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// Spellings of non-finite values that are numbers in intent, not header names.
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/** Integer labels are class ids only with at least this many rows per class on average. */
export const MIN_PER_CLASS = 5;
/** Integer labels that are not 0..K−1 are classes only up to this many distinct values. */
export const MAX_RENAMED_CLASSES = 10;

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

/** A CSV file's rows as text: the header's names (or null) and every data row with its line. */
export interface CsvTable {
  file: string;
  header: string[] | null;
  rows: { line: number; fields: string[] }[];
}

/**
 * Splits CSV text into rows of fields, every row with as many as the first. A
 * header is a first row of names only (every field not a number); a first row
 * with text in a feature column and numbers elsewhere is a broken data row. Text
 * in the last column is a label, not a header.
 */
export function readCsvTable(text: string, file = 'CSV', minColumns = 2): CsvTable {
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

  const texts = rows[0].fields.map((f) => !isNumeric(f));
  const header = texts.every(Boolean) ? rows[0].fields : null;
  const featureText = texts.slice(0, -1).indexOf(true);
  if (!header && featureText >= 0) {
    throw new FileFormatError(
      file,
      rows[0].line,
      `column ${featureText + 1}: ${JSON.stringify(rows[0].fields[featureText])} is not a number, and the row is not a header (a header names every column; this row has numbers too)`,
    );
  }
  const columns = rows[0].fields.length;
  if (columns < minColumns) {
    throw new FileFormatError(
      file,
      rows[0].line,
      `found ${columns} column; need at least ${minColumns} (${minColumns === 1 ? 'the feature columns' : 'one or more feature columns, then the label or target column'})`,
    );
  }
  const dataRows = header ? rows.slice(1) : rows;
  if (dataRows.length === 0) throw new FileFormatError(file, null, 'no data rows: only a header');
  for (const { line, fields } of dataRows) {
    if (fields.length !== columns) {
      throw new FileFormatError(file, line, `expected ${columns} columns (as in ${header ? 'the header' : 'the first row'}), found ${fields.length}`);
    }
  }
  return { file, header, rows: dataRows };
}

/** "column 3 ("weight")": a column by number, and by name when the file has a header. */
export const columnName = (table: CsvTable, c: number): string =>
  `column ${c + 1}${table.header?.[c] ? ` ("${table.header[c]}")` : ''}`;

/** The number in row j, column c, or a FileFormatError naming line and column. */
export function numberAt(table: CsvTable, j: number, c: number): number {
  const { line, fields } = table.rows[j];
  const field = fields[c];
  if (!NUMBER.test(field)) {
    const what = NON_FINITE.test(field) ? 'a non-finite value' : field === '' ? 'empty' : 'not a number';
    throw new FileFormatError(table.file, line, `${columnName(table, c)}: ${JSON.stringify(field)} is ${what}`);
  }
  const value = Number(field);
  // '1e400' passes the pattern but is Infinity; '1e39' is finite yet overflows float32.
  if (!Number.isFinite(Math.fround(value))) {
    throw new FileFormatError(table.file, line, `${columnName(table, c)}: ${field} is a non-finite value in float32`);
  }
  return value;
}

/** X (n0, m) from the given columns of every row, in the notes' layout (one example per column). */
export function featuresOf(table: CsvTable, columns: readonly number[]): Float32Array {
  const m = table.rows.length;
  const X = new Float32Array(columns.length * m);
  // Row by row, so that the first bad line is the one named.
  for (let j = 0; j < m; j++) columns.forEach((c, i) => (X[i * m + j] = numberAt(table, j, c)));
  return X;
}

/** What a CSV's last column holds: 0/1 labels only (parseCsv), class ids, or real targets. */
export type CsvTask = 'binary' | 'classify' | 'regress';

/** A data set read from CSV by the label rules, with what a second file or a model needs to read the same way. */
export interface CsvData {
  data: Dataset;
  task: 'classify' | 'regress';
  /** Classes K (classify, at least 2); 0 for a regression. */
  classes: number;
  /** Classify: the name of class k at index k, as the file spells its labels ("B", "M"; "0", "1", "2"). Regress: null. */
  classNames: string[] | null;
  /** The header's names, features then target; null for a file without a header. */
  columns: string[] | null;
  /** True when the task came from the values (no options.task, no options.like). */
  inferred: boolean;
  /** One line each, for the user: the task and why, and any renumbering of labels. */
  notes: string[];
}

export interface CsvOptions {
  /** Decides the task; without it the label rules infer one. */
  task?: 'classify' | 'regress';
  /**
   * A file read like an earlier one (a test set like its training set): the same
   * columns (names checked when both have a header), the same task, and labels
   * mapped to the earlier file's classes; a label the earlier file lacks is an error.
   */
  like?: Pick<CsvData, 'task' | 'classNames' | 'columns'> & { data: Pick<Dataset, 'n0'> };
}

/** The label's key: a number by its value ("1.0" and "1" are one class), text as written. */
const labelKey = (field: string): string => (NUMBER.test(field) ? String(Number(field)) : field);

/** The names a model keeps of a CSV (model.json, ONNX): its classes, feature columns and target, as far as the file gave them. */
export function dataNames(parsed: Pick<CsvData, 'classNames' | 'columns'>): DataNames {
  return {
    ...(parsed.classNames ? { classes: parsed.classNames } : {}),
    ...(parsed.columns ? { features: parsed.columns.slice(0, -1), target: parsed.columns[parsed.columns.length - 1] } : {}),
  };
}

/** Column c's labels as class indices of `names` (a label's key: labelKey); one it lacks is an error naming its line and `whose` classes. */
function classIndices(table: CsvTable, c: number, names: readonly string[], whose: string): Float32Array {
  const index = new Map(names.map((n, k) => [n, k]));
  return Float32Array.from(table.rows, ({ line, fields }) => {
    const k = index.get(labelKey(fields[c]));
    if (k === undefined) {
      throw new FileFormatError(table.file, line, `${columnName(table, c)}: the label ${JSON.stringify(fields[c])} is not one of ${whose} classes (${names.join(', ')})`);
    }
    return k;
  });
}

/** Numbers in increasing order, text in code-unit order (the same on every machine). */
function sortLabels(keys: string[]): string[] {
  return keys.every((k) => NUMBER.test(k)) ? keys.sort((a, b) => Number(a) - Number(b)) : keys.sort();
}

/** Column names that differ between two headers, in words; null when they agree. */
function headerDifference(expected: string[], found: string[]): string | null {
  if (expected.length === found.length && expected.every((name, i) => name === found[i])) return null;
  const missing = expected.filter((n) => !found.includes(n));
  const extra = found.filter((n) => !expected.includes(n));
  const list = (names: string[]) => names.map((n) => JSON.stringify(n)).join(', ');
  if (missing.length || extra.length) {
    return [missing.length ? `missing ${list(missing)}` : '', extra.length ? `extra ${list(extra)}` : ''].filter(Boolean).join('; ');
  }
  return `the same names in another order (${list(found)}; expected ${list(expected)})`;
}

/**
 * A data set from CSV text, its target read by the label rules at the top of this
 * file (or as options.task or options.like say). X is (n0, m), one example per
 * column; Y is (1, m) of class ids 0..K−1 or real targets.
 */
export function parseCsvData(text: string, file = 'CSV', options: CsvOptions = {}): CsvData {
  const table = readCsvTable(text, file);
  const { like } = options;
  const columns = table.rows[0].fields.length;
  const n0 = columns - 1;
  if (like) {
    if (n0 !== like.data.n0) {
      throw new FileFormatError(file, table.rows[0].line - (table.header ? 1 : 0), `has ${columns} columns; the training file has ${like.data.n0 + 1} (${like.data.n0} features and the target)`);
    }
    const differ = table.header && like.columns ? headerDifference(like.columns, table.header) : null;
    if (differ) throw new FileFormatError(file, 1, `the columns differ from the training file's: ${differ}`);
  }
  const m = table.rows.length;
  const X = featuresOf(table, Array.from({ length: n0 }, (_, i) => i));
  const target = n0;
  const fields = table.rows.map((r) => r.fields[target]);
  const where = (j: number) => table.rows[j].line;
  const targetName = columnName(table, target);
  const notes: string[] = [];

  const task = like?.task ?? options.task;
  // NaN, inf or an empty field is a missing value, never a class name.
  const missing = fields.findIndex((f) => f === '' || NON_FINITE.test(f));
  if (missing >= 0) numberAt(table, missing, target);
  const textAt = fields.findIndex((f) => !NUMBER.test(f));
  const numberFirst = fields.findIndex((f) => NUMBER.test(f));
  if (textAt >= 0 && numberFirst >= 0 && like?.task !== 'classify' && task !== 'classify') {
    // "?" among numbers is a missing value, not a reason to make every number a class.
    const odd = fields.filter((f) => NUMBER.test(f)).length >= fields.length / 2 ? textAt : numberFirst;
    throw new FileFormatError(
      file,
      where(odd),
      `${targetName}: ${JSON.stringify(fields[odd])} is ${odd === textAt ? 'text among numbers' : 'a number among text labels'}; the column must hold numbers (class ids or targets) or text labels, not both`,
    );
  }
  let chosen: 'classify' | 'regress';
  let values: number[] | null = null;
  let names: string[] | null = null;
  if (like?.task === 'classify') {
    chosen = 'classify';
    names = like.classNames!;
  } else if (textAt >= 0) {
    if (task === 'regress') {
      throw new FileFormatError(file, where(textAt), `${targetName}: ${JSON.stringify(fields[textAt])} is not a number, and a regression target must be a number`);
    }
    const distinct = new Set(fields).size;
    if (!task && distinct > MAX_RENAMED_CLASSES && m < 2 * distinct) {
      throw new FileFormatError(file, null, `${targetName} holds ${distinct} different texts in ${m} rows: too many to be class labels (is the target the last column?); --task classify takes them anyway`);
    }
    chosen = 'classify';
  } else {
    values = fields.map((_, j) => numberAt(table, j, target));
    const integers = values.every(Number.isInteger);
    if (task === 'classify') {
      const bad = values.findIndex((v) => !Number.isInteger(v));
      if (bad >= 0) throw new FileFormatError(file, where(bad), `${targetName}: ${fields[bad]} is not a class id (an integer, or a text label) as --task classify needs`);
      chosen = 'classify';
    } else if (task === 'regress' || !integers) {
      chosen = 'regress';
      if (!task) notes.push(`task: regress (${targetName} holds real numbers); --task sets it`);
    } else {
      const distinct = [...new Set(values)].sort((a, b) => a - b);
      const K = distinct.length;
      const binary = distinct.every((v) => v === 0 || v === 1);
      const ids = distinct.every((v, k) => v === k);
      const enough = m >= MIN_PER_CLASS * K;
      const range = `${distinct[0]}–${distinct[K - 1]}`;
      if (binary || (ids && enough) || (K <= MAX_RENAMED_CLASSES && enough)) {
        chosen = 'classify';
      } else {
        chosen = 'regress';
        const why = ids || K <= MAX_RENAMED_CLASSES
          ? `${K} classes would have fewer than ${MIN_PER_CLASS} rows each`
          : `integers ${range}, ${K} distinct values: not class ids 0..K−1, and more than ${MAX_RENAMED_CLASSES}`;
        notes.push(`task: regress (${targetName}: ${why}); --task classify makes them classes`);
      }
    }
  }

  if (chosen === 'regress') {
    // Every numeric target was parsed once above (text under regress is an error before).
    const Y = Float32Array.from(values!);
    return { data: { name: file, n0, m, X, Y }, task: 'regress', classes: 0, classNames: null, columns: table.header, inferred: !task, notes };
  }

  if (!names) {
    const keys = sortLabels([...new Set(fields.map(labelKey))]);
    const identity = keys.every((k, i) => k === String(i)) || (keys.length === 1 && (keys[0] === '0' || keys[0] === '1'));
    if (keys.length < 2 && !identity) {
      throw new FileFormatError(file, null, `${targetName}: every row has the label ${JSON.stringify(keys[0])}; classes need at least two labels`);
    }
    names = identity ? Array.from({ length: Math.max(2, keys.length) }, (_, k) => String(k)) : keys;
    const numbers = keys.every((k) => NUMBER.test(k));
    const shown = names.length <= 12 ? names.map((n, k) => `${n} → ${k}`).join(', ') : `${names.slice(0, 3).join(', ')}, … → 0..${names.length - 1}`;
    if (!task) {
      const kind = identity ? 'class ids' : numbers ? 'integer labels, renumbered' : 'text labels';
      notes.push(`task: classify, ${names.length} classes (${targetName} holds ${kind}${identity ? '' : `: ${shown}`}); --task sets it`);
    } else if (!identity) {
      notes.push(`classes: ${shown} (kept in model.json)`);
    }
  }
  const Y = classIndices(table, target, names, "the training set's");
  return { data: { name: file, n0, m, X, Y }, task: 'classify', classes: names.length, classNames: names, columns: table.header, inferred: !task && !like, notes };
}

/**
 * Parses CSV text into a Dataset named after the file: the strict two-class
 * reader. X is transposed into the notes' layout, (n0, m) with one example per
 * column; Y is (1, m) of 0/1 labels.
 */
export function parseCsv(text: string, file = 'CSV'): Dataset {
  const table = readCsvTable(text, file);
  const n0 = table.rows[0].fields.length - 1;
  const X = featuresOf(table, Array.from({ length: n0 }, (_, i) => i));
  const Y = new Float32Array(table.rows.length);
  table.rows.forEach(({ line, fields }, j) => {
    const y = numberAt(table, j, n0);
    if (y !== 0 && y !== 1) throw new FileFormatError(file, line, `${columnName(table, n0)}: label ${fields[n0]} must be 0 or 1`);
    Y[j] = y;
  });
  return { name: file, n0, m: table.rows.length, X, Y };
}

/** What a model knows of the columns it takes (model.json's n0 and names). */
export interface ModelColumns {
  n0: number;
  features?: string[];
  target?: string;
  /** A classifier's class names: a label column is mapped with them. */
  classes?: string[];
}

/**
 * Rows for a trained model to predict: its n0 feature columns, and its label or
 * target column when the file has one (then `Y`, mapped to the model's classes).
 * With a header and the model's feature names, columns are matched by name, in
 * any order; missing and extra columns are errors naming them. Otherwise by
 * position: n0 columns, or n0 + 1 with the label last.
 */
export function parseFeatureCsv(text: string, file: string, model: ModelColumns): { X: Float32Array; m: number; Y: Float32Array | null } {
  const table = readCsvTable(text, file, 1);
  const columns = table.rows[0].fields.length;
  let features: number[];
  let label: number | null;
  const list = (names: string[]) => names.map((n) => JSON.stringify(n)).join(', ');
  if (table.header && model.features) {
    const header = table.header;
    const missing = model.features.filter((f) => !header.includes(f));
    const extra = header.filter((h) => !model.features!.includes(h) && h !== model.target);
    if (missing.length || extra.length) {
      const parts = [missing.length ? `missing ${list(missing)}` : '', extra.length ? `extra ${list(extra)}` : ''].filter(Boolean).join('; ');
      throw new FileFormatError(file, 1, `the columns do not fit the model: ${parts} (the model takes ${list(model.features)}${model.target ? `, and optionally ${JSON.stringify(model.target)}` : ''})`);
    }
    features = model.features.map((f) => header.indexOf(f));
    label = model.target !== undefined && header.includes(model.target) ? header.indexOf(model.target) : null;
  } else {
    if (columns !== model.n0 && columns !== model.n0 + 1) {
      throw new FileFormatError(file, table.rows[0].line, `found ${columns} columns; the model takes n0 = ${model.n0} features (or ${model.n0 + 1} columns with the label last)`);
    }
    features = Array.from({ length: model.n0 }, (_, i) => i);
    label = columns === model.n0 + 1 ? model.n0 : null;
  }
  const X = featuresOf(table, features);
  const m = table.rows.length;
  if (label === null) return { X, m, Y: null };
  const Y = model.classes ? classIndices(table, label, model.classes, "the model's") : Float32Array.from(table.rows, (_, j) => numberAt(table, j, label));
  return { X, m, Y };
}

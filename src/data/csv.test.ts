import { test, expect } from '@playwright/test';
import { parseCsv, parseCsvData } from './csv.ts';
import { FileFormatError } from '../errors.ts';

/** Runs parseCsv and returns the FileFormatError it throws. */
const errorOf = (text: string, file = 'data.csv'): FileFormatError => {
  try {
    parseCsv(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(FileFormatError);
    return e as FileFormatError;
  }
  throw new Error('parseCsv did not throw');
};

test('parseCsv without header: 3 rows of (x1, x2, y) become X (2, 3) transposed and Y (1, 3)', () => {
  const d = parseCsv('1,2,0\n3,4,1\n5,6,1', 'points.csv');
  expect(d).toMatchObject({ name: 'points.csv', n0: 2, m: 3 });
  expect(Array.from(d.X)).toEqual([1, 3, 5, 2, 4, 6]);
  expect(Array.from(d.Y)).toEqual([0, 1, 1]);
  expect(d.X).toBeInstanceOf(Float32Array);
});

test('parseCsv with header, CRLF, spaces, quoted numbers and blank lines at the end (n0=3, m=2)', () => {
  const d = parseCsv('"a", b ,c,label\r\n 0.5 , "-1.5e1",3,1\r\n.25,2.,"+4", "0" \r\n\r\n\r\n');
  expect([d.n0, d.m]).toEqual([3, 2]);
  expect(Array.from(d.X)).toEqual([0.5, 0.25, -15, 2, 3, 4]);
  expect(Array.from(d.Y)).toEqual([1, 0]);
  expect(d.name).toBe('CSV');
});

test('parseCsv accepts semicolon- and tab-separated files and a byte-order mark', () => {
  expect(Array.from(parseCsv('x;y;label\n1;2;1\n3;4;0\n').X)).toEqual([1, 3, 2, 4]);
  expect(Array.from(parseCsv('1\t2\t1\n3\t4\t0').X)).toEqual([1, 3, 2, 4]);
  expect(parseCsv('\uFEFFx,y\n1,0\n').m).toBe(1);
});

test('parseCsv: a row with 2 columns where the header has 3 fails at line 3 with expected 3, found 2', () => {
  const e = errorOf('x1,x2,y\n1,2,0\n3,1\n');
  expect(e.line).toBe(3);
  expect(e.message).toBe('data.csv, line 3: expected 3 columns (as in the header), found 2');
});

test('parseCsv: line numbers count blank lines in the middle (error at physical line 4)', () => {
  expect(errorOf('1,2,0\n\n3,4,0\n5,6,7,1\n').line).toBe(4);
});

test('parseCsv: a non-numeric value names the line and the column with its header name', () => {
  const e = errorOf('x1,x2,y\n1,2,0\n3,abc,1\n');
  expect(e.line).toBe(3);
  expect(e.reason).toMatch(/column 2 \("x2"\): "abc" is not a number/);
  expect(errorOf("1,2,0\n3,,1\n").reason).toMatch(/column 2: "" is empty/);
  expect(errorOf('1,2,0\n0x1f,1,1\n').reason).toMatch(/column 1: "0x1f" is not a number/);
});

test('parseCsv: NaN, Infinity, 1e400 and 1e39 (beyond float32) are non-finite values naming line and column', () => {
  expect(errorOf('1,2,0\n3,NaN,1\n').reason).toMatch(/column 2: "NaN" is a non-finite value/);
  expect(errorOf('1,2,0\n-Infinity,2,1\n').line).toBe(2);
  expect(errorOf('1,2,0\n1,1e400,1\n').reason).toMatch(/column 2: 1e400 is a non-finite value/);
  expect(errorOf('1e39,2,0\n').reason).toMatch(/column 1: 1e39 is a non-finite value in float32/);
});

test('parseCsv: labels other than 0 or 1 (2, 0.5, -1) are rejected at their line', () => {
  for (const label of ['2', '0.5', '-1']) {
    const e = errorOf(`x,y\n1,0\n2,${label}\n`);
    expect(e.line).toBe(3);
    expect(e.reason).toBe(`column 2 ("y"): label ${label} must be 0 or 1`);
  }
});

test('parseCsv: an empty file, blank lines only, or a header without rows have no data rows', () => {
  expect(errorOf('').reason).toMatch(/no data rows/);
  expect(errorOf('\n \r\n').reason).toMatch(/no data rows/);
  expect(errorOf('x1,x2,y\n').reason).toMatch(/no data rows: only a header/);
});

test('parseCsv: a single column fails at line 1: need at least 2 columns', () => {
  const e = errorOf('1\n0\n');
  expect(e.line).toBe(1);
  expect(e.reason).toMatch(/need at least 2/);
});

test('parseCsv: an unclosed quote names its line instead of swallowing the rest of the row', () => {
  const e = errorOf('x,y,label\n1,2,0\n"3,4,1\n');
  expect(e.line).toBe(3);
  expect(e.message).toBe('data.csv, line 3: a quoted field is not closed (missing ")');
});

test('parseCsv: a bad line deep in a long file (line 1,002 of 1,501) is the line named', () => {
  const lines = ['x1,x2,y', ...Array.from({ length: 1500 }, (_, j) => `${j},${-j},${j % 2}`)];
  lines[1001] = '5,oops,1';
  const e = errorOf(lines.join('\n'));
  expect(e.line).toBe(1002);
  expect(e.reason).toBe('column 2 ("x2"): "oops" is not a number');
});

test('parseCsv: a first row that mixes numbers and text is an error naming line 1 and the column, not a header dropped silently', () => {
  const e = errorOf('1.5,abc,1\n2,3,0\n4,5,1\n');
  expect(e.line).toBe(1);
  expect(e.reason).toBe('column 2: "abc" is not a number, and the row is not a header (a header names every column; this row has numbers too)');
  // A real header (every field a name) is still read as one.
  expect(parseCsv('a,b,label\n1,2,0\n').m).toBe(1);
});

/** Runs f and returns the FileFormatError it throws. */
const thrown = (f: () => unknown): FileFormatError => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FileFormatError);
    return e as FileFormatError;
  }
  throw new Error('no error thrown');
};

/** A CSV of one feature column x and a label column, one row per label. */
const labelled = (labels: (string | number)[], header = 'x,label') => [header, ...labels.map((y, j) => `${j},${y}`)].join('\n') + '\n';

test('parseCsvData: class ids 0..K−1 with five rows a class are classes as they are; reals infer regress; --task classify refuses 1.5 at its line', () => {
  const classes = parseCsvData(labelled([0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2, 1]), 'c.csv');
  expect([classes.task, classes.classes, classes.inferred, classes.classNames]).toEqual(['classify', 3, true, ['0', '1', '2']]);
  expect(Array.from(classes.data.Y.slice(0, 3))).toEqual([0, 2, 1]);
  expect(classes.notes).toEqual(['task: classify, 3 classes (column 2 ("label") holds class ids); --task sets it']);
  const reals = parseCsvData('x,y\n1,0.5\n2,-3\n', 'r.csv');
  expect([reals.task, reals.inferred, reals.classNames]).toEqual(['regress', true, null]);
  expect(Array.from(reals.data.Y)).toEqual([0.5, -3]);
  const e = thrown(() => parseCsvData('x,y\n1,0\n2,1.5\n', 'c.csv', { task: 'classify' }));
  expect(e.line).toBe(3);
  expect(e.message).toContain('1.5 is not a class id');
});

test('parseCsvData: a diabetes-like target (442 integers from 25 to 346) is a regression with a note, never hundreds of classes', () => {
  const targets = Array.from({ length: 442 }, (_, j) => 25 + ((j * 137) % 322));
  const r = parseCsvData(labelled(targets, 'bmi,progression'), 'diabetes.csv');
  expect([r.task, r.classes, r.inferred]).toEqual(['regress', 0, true]);
  expect(r.data.Y[1]).toBe(25 + 137);
  expect(r.notes[0]).toMatch(/^task: regress \(column 2 \("progression"\): integers 25–346, \d+ distinct values: not class ids 0\.\.K−1, and more than 10\); --task classify makes them classes$/);
  // Class ids 0..K−1 with fewer than five rows a class: a regression too, saying why.
  const few = parseCsvData(labelled([0, 1, 2, 3, 4, 5, 0, 1, 2, 3]), 'few.csv');
  expect(few.task).toBe('regress');
  expect(few.notes[0]).toContain('6 classes would have fewer than 5 rows each');
  // --task always decides: the same integers as classes, renumbered in increasing order.
  const forced = parseCsvData(labelled([7, 3, 7, 9]), 'f.csv', { task: 'classify' });
  expect([forced.classNames, Array.from(forced.data.Y)]).toEqual([['3', '7', '9'], [1, 0, 1, 2]]);
});

test('parseCsvData: text labels are classes in sorted order (B, M), the names kept; headerless files and iris\'s three names too', () => {
  const cancer = parseCsvData(labelled(['M', 'B', 'B', 'M', 'B']), 'wdbc.csv');
  expect([cancer.task, cancer.classes, cancer.classNames]).toEqual(['classify', 2, ['B', 'M']]);
  expect(Array.from(cancer.data.Y)).toEqual([1, 0, 0, 1, 0]);
  expect(cancer.notes[0]).toBe('task: classify, 2 classes (column 2 ("label") holds text labels: B → 0, M → 1); --task sets it');
  const iris = parseCsvData('5.1,3.5,setosa\n7,3.2,versicolor\n6.3,3.3,virginica\n4.9,3,setosa\n6.4,3.2,versicolor\n5.8,2.7,virginica\n', 'iris.csv');
  expect([iris.data.n0, iris.data.m, iris.classNames, iris.columns]).toEqual([2, 6, ['setosa', 'versicolor', 'virginica'], null]);
  expect(iris.data.X[1]).toBe(Math.fround(7));
  // "yes"/"no", quoted, padded.
  expect(parseCsvData('a,b\n1," yes "\n2,no\n3,no\n', 'q.csv').classNames).toEqual(['no', 'yes']);
  // --task regress on text: an error at the first text line.
  const e = thrown(() => parseCsvData(labelled(['M', 'B']), 'wdbc.csv', { task: 'regress' }));
  expect([e.line, e.reason]).toEqual([2, 'column 2 ("label"): "M" is not a number, and a regression target must be a number']);
});

test('parseCsvData: integer labels with gaps or not from 0 ({2, 4}, {0, 2}, {1, 2, 3}, {−1, 1}) are renumbered with the mapping in the note', () => {
  const cases: [number[], string[], string][] = [
    [[2, 4], ['2', '4'], '2 → 0, 4 → 1'],
    [[0, 2], ['0', '2'], '0 → 0, 2 → 1'],
    [[1, 2, 3], ['1', '2', '3'], '1 → 0, 2 → 1, 3 → 2'],
    [[-1, 1], ['-1', '1'], '-1 → 0, 1 → 1'],
  ];
  for (const [values, names, mapping] of cases) {
    const labels = Array.from({ length: 5 * values.length }, (_, j) => values[j % values.length]);
    const r = parseCsvData(labelled(labels), 'gaps.csv');
    expect([r.task, r.classes, r.classNames]).toEqual(['classify', values.length, names]);
    expect(Array.from(r.data.Y.slice(0, values.length))).toEqual(values.map((_, k) => k));
    expect(r.notes[0]).toContain(`integer labels, renumbered: ${mapping}`);
  }
  // 1.0 and 1 are one class.
  expect(parseCsvData(labelled(['1.0', 1, 0, 0, 1, 0]), 'f.csv').classNames).toEqual(['0', '1']);
});

test('parseCsvData: missing values and mixed columns are errors at their line, not classes: "?" among numbers, NaN, an empty label, an id column of texts', () => {
  expect(thrown(() => parseCsvData(labelled([1.5, 2.5, '?', 3.5]), 'm.csv')).message).toBe(
    'm.csv, line 4: column 2 ("label"): "?" is text among numbers; the column must hold numbers (class ids or targets) or text labels, not both',
  );
  expect(thrown(() => parseCsvData(labelled(['a', 'b', 'a', '7']), 'm.csv')).line).toBe(5);
  expect(thrown(() => parseCsvData(labelled([1, 'NaN', 2]), 'm.csv')).reason).toBe('column 2 ("label"): "NaN" is a non-finite value');
  expect(thrown(() => parseCsvData(labelled(['a', '', 'b']), 'm.csv')).reason).toBe('column 2 ("label"): "" is empty');
  const ids = Array.from({ length: 12 }, (_, j) => `id${j}`);
  expect(thrown(() => parseCsvData(labelled(ids), 'ids.csv')).reason).toContain('holds 12 different texts in 12 rows: too many to be class labels');
  expect(thrown(() => parseCsvData(labelled(['M', 'M', 'M']), 'one.csv')).reason).toBe('column 2 ("label"): every row has the label "M"; classes need at least two labels');
});

test('parseCsvData with like: a test file takes the training file\'s task and classes, and names a label or a column it lacks', () => {
  const train = parseCsvData('h,w,label\n1,2,M\n3,4,B\n5,6,B\n', 'train.csv');
  const test_ = parseCsvData('h,w,label\n7,8,B\n9,10,M\n', 'test.csv', { like: train });
  expect([test_.task, test_.classNames, Array.from(test_.data.Y), test_.inferred, test_.notes]).toEqual(['classify', ['B', 'M'], [0, 1], false, []]);
  // One class only in a test file is fine: the classes come from training.
  expect(Array.from(parseCsvData('7,8,M\n', 'one.csv', { like: train }).data.Y)).toEqual([1]);
  expect(thrown(() => parseCsvData('h,w,label\n7,8,B\n9,10,X\n', 'test.csv', { like: train })).message).toBe(
    'test.csv, line 3: column 3 ("label"): the label "X" is not one of the training set\'s classes (B, M)',
  );
  expect(thrown(() => parseCsvData('h,weight,label,extra\n7,8,B,1\n', 'test.csv', { like: train })).reason).toBe('has 4 columns; the training file has 3 (2 features and the target)');
  expect(thrown(() => parseCsvData('h,weight,label\n7,8,B\n', 'test.csv', { like: train })).reason).toBe('the columns differ from the training file\'s: missing "w"; extra "weight"');
  expect(thrown(() => parseCsvData('w,h,label\n7,8,B\n', 'test.csv', { like: train })).reason).toContain('the same names in another order');
  // A regression's test file must hold numbers.
  const reg = parseCsvData('x,y\n1,0.5\n2,1.5\n', 'r.csv');
  expect(thrown(() => parseCsvData('x,y\n1,high\n', 'rt.csv', { like: reg })).reason).toBe('column 2 ("y"): "high" is not a number, and a regression target must be a number');
});

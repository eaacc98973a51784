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
  expect(errorOf('1,2,0\n3,,1\n').reason).toMatch(/column 2: "" is not a number/);
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

test('parseCsvData: class ids infer classify with K = largest + 1; reals infer regress; --task classify refuses 1.5 at its line', () => {
  const classes = parseCsvData('x,label\n1,0\n2,2\n3,1\n', 'c.csv');
  expect([classes.task, classes.classes, classes.inferred]).toEqual(['classify', 3, true]);
  const reals = parseCsvData('x,y\n1,0.5\n2,-3\n', 'r.csv');
  expect([reals.task, reals.inferred]).toEqual(['regress', true]);
  expect(Array.from(reals.data.Y)).toEqual([0.5, -3]);
  let error: unknown;
  try {
    parseCsvData('x,y\n1,0\n2,1.5\n', 'c.csv', 'classify');
  } catch (e) {
    error = e;
  }
  expect((error as { line: number }).line).toBe(3);
  expect((error as Error).message).toContain('1.5 is not a class id');
});

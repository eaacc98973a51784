// The files of `--out DIR`: the trained model in the format --init and the demo
// read, the same network as ONNX (for ONNX Runtime, PyTorch, any ONNX tool), the
// cost history twice (JSON for programs, CSV for spreadsheets), the decision
// boundary as PNG for 2-D data, and a summary of the run.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseModelJson } from '../src/model/model-json.ts';
import { toOnnx } from '../src/model/onnx.ts';
import type { HistoryPoint, TrainingResult } from './run-training.ts';

/**
 * Indented JSON with every array of numbers on one line, so a weight row of
 * W1 reads as a row: `[0.93, -2.16]` instead of one number per line.
 */
export function prettyJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  return text.replace(/\[[\s\d.eE+,-]*\]/g, (array) => `[${array.slice(1, -1).trim().split(/\s*,\s*/).filter(Boolean).join(', ')}]`) + '\n';
}

/** One history point per line: readable, and diffable between runs. */
export function historyJson(history: readonly HistoryPoint[]): string {
  const lines = history.map((point) => `  ${JSON.stringify(point)}`);
  return lines.length ? `[\n${lines.join(',\n')}\n]\n` : '[]\n';
}

/** The columns a history has: step, cost, accuracy, then the test set's when it has one. */
const HISTORY_COLUMNS = ['step', 'cost', 'accuracy', 'testCost', 'testAccuracy', 'testRmse', 'testR2'] as const;

export function historyCsv(history: readonly HistoryPoint[]): string {
  const columns = HISTORY_COLUMNS.filter((c) => c === 'step' || c === 'cost' || c === 'accuracy' || history.some((h) => h[c] !== undefined));
  // Full float32 precision survives the round trip through text.
  return [columns.join(','), ...history.map((h) => columns.map((c) => h[c] ?? '').join(','))].join('\n') + '\n';
}

/**
 * The confusion matrix as text: a row per actual class, a column per predicted
 * class, with the class names (cut to 12 characters) as headers.
 */
export function confusionText(classes: readonly string[], matrix: readonly number[][]): string[] {
  const names = classes.map((c) => (c.length > 12 ? `${c.slice(0, 11)}…` : c));
  const width = Math.max(4, ...names.map((n) => n.length), ...matrix.flat().map((v) => String(v).length));
  const corner = 'actual \\ predicted';
  const left = Math.max(corner.length, ...names.map((n) => n.length));
  return [
    `${corner.padEnd(left)}  ${names.map((n) => n.padStart(width)).join(' ')}`,
    ...matrix.map((row, i) => `${names[i].padEnd(left)}  ${row.map((v) => String(v).padStart(width)).join(' ')}`),
  ];
}

/** The bytes of a `data:image/png;base64,...` URL. Throws if it is not one. */
export function decodePngDataUrl(url: string): Buffer {
  const prefix = 'data:image/png;base64,';
  if (!url.startsWith(prefix)) throw new Error(`expected a PNG data URL, got ${JSON.stringify(url.slice(0, 40))}`);
  const png = Buffer.from(url.slice(prefix.length), 'base64');
  // Every PNG starts with these 8 bytes; anything else is a broken canvas export.
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 8 || !png.subarray(0, 8).equals(signature)) throw new Error('the boundary image is not a PNG');
  return png;
}

/**
 * Writes the run's files into dir (created if missing) and returns their paths.
 * `summary` holds what the run was asked to do and what it measured; it goes to
 * summary.json next to the result's scalar fields.
 */
/** A file system error's reason in words (its code kept for searching). */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ENOENT: 'no such file or directory',
    ENOTDIR: 'a part of the path is a file, not a directory',
    EISDIR: 'it is a directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    EEXIST: 'it already exists',
    ENAMETOOLONG: 'the name is too long',
  };
  return code && words[code] ? `${words[code]}, ${code}` : (e as Error).message;
}

/** Thrown by writeOutputs: names the option's directory, the file and the reason in words. */
export class OutputError extends Error {
  override name = 'OutputError';
}

export async function writeOutputs(
  dir: string,
  result: TrainingResult,
  summary: Record<string, unknown> = {},
): Promise<string[]> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new OutputError(`--out ${dir}: cannot create the directory (${fsReason(e)})`);
  }
  const model = parseModelJson(result.model, 'model.json');
  const onnx = toOnnx(model.params, model.hidden, { head: model.head, standardization: model.standardization, names: model.names });
  const files: [string, string | Buffer | Uint8Array][] = [
    ['model.json', prettyJson(result.model)],
    ['model.onnx', onnx],
    ['history.json', historyJson(result.history)],
    ['history.csv', historyCsv(result.history)],
  ];
  if (result.boundaryPng) files.push(['boundary.png', decodePngDataUrl(result.boundaryPng)]);
  const { history: _h, model: _m, boundaryPng: _b, profile: _p, explain: _e, ...measured } = result;
  const summaryJson = { ...summary, ...measured };
  files.push(['summary.json', prettyJson(summaryJson)]);

  const written: string[] = [];
  for (const [name, content] of files) {
    const path = join(dir, name);
    try {
      await writeFile(path, content);
    } catch (e) {
      throw new OutputError(`--out ${dir}: cannot write ${name} (${fsReason(e)})`);
    }
    written.push(path);
  }
  return written;
}

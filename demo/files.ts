// Reading the user's files and saving the model. Files are untrusted input: they
// are size-checked before reading, parsed by the library's strict parsers, and
// their names and contents are shown only as text.
import { parseCsvData, type CsvData } from '../src/data/csv.ts';
import { MAX_CLASSES } from '../src/plot/boundary.ts';
import type { Standardization } from '../src/data/standardize.ts';
import type { Feature } from '../src/data/features.ts';
import { parseModelJson } from '../src/model/model-json.ts';
import { fromOnnx } from '../src/model/onnx.ts';
import type { Activation, Head, Parameters } from '../src/types.ts';

/** Larger files are refused before they are read. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export class FileRejected extends Error {
  override name = 'FileRejected';
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

function checkSize(file: File): void {
  if (file.size > MAX_FILE_BYTES) {
    throw new FileRejected(`${file.name} is ${mb(file.size)}; files over ${mb(MAX_FILE_BYTES)} are not read. Use a smaller sample of the data.`);
  }
}

async function readText(file: File): Promise<string> {
  checkSize(file);
  return file.text();
}

/**
 * A CSV data set (feature columns, then the target), named after the file, read by
 * the library's label rules as the CLI reads it: text labels and class ids are
 * classes, other numbers a regression target (src/data/csv.ts). The page draws at
 * most MAX_CLASSES classes; its text comes back too, for a downloaded run.
 */
export async function readCsvFile(file: File): Promise<CsvData & { name: string; text: string }> {
  const text = await readText(file);
  const parsed = parseCsvData(text, file.name);
  if (parsed.task === 'classify' && parsed.classes > MAX_CLASSES) {
    throw new FileRejected(`${file.name}: its last column holds ${parsed.classes} classes; the playground draws at most ${MAX_CLASSES}. npm run train -- --data ${file.name} trains any number.`);
  }
  return { ...parsed, name: file.name, text };
}

export interface ImportedModel {
  kind: 'model';
  params: Parameters;
  /** Input features the model computes from (x1, x2), or null. */
  inputs: Feature[] | null;
  hidden: Activation[];
  head: Head;
  standardization: Standardization | null;
}

/** A playground run saved by "Download run": the settings as a link's query, the step reached, and a CSV's data when the run trained on one. */
export interface PlaygroundRun {
  format: typeof RUN_FORMAT;
  version: 1;
  settings: string;
  steps: number;
  data: { name: string; text: string } | null;
}

export const RUN_FORMAT = 'webgpu-shallow-trainer/playground-run';
/** A run file carries a CSV's text up to this size (a link cannot carry it at all). */
export const MAX_RUN_DATA_BYTES = 2_000_000;

export const playgroundRun = (settings: string, steps: number, data: PlaygroundRun['data']): PlaygroundRun => ({ format: RUN_FORMAT, version: 1, settings, steps, data });

/** A run file's fields checked, each wrong one named. */
function parseRun(obj: Record<string, unknown>, file: string): PlaygroundRun {
  const fail = (why: string): never => {
    throw new FileRejected(`${file}: ${why}`);
  };
  if (obj.version !== 1) fail(`run version ${JSON.stringify(obj.version)}; this page reads version 1`);
  if (typeof obj.settings !== 'string') fail('settings is not a link\'s query string');
  if (!Number.isInteger(obj.steps) || (obj.steps as number) < 0) fail(`steps is ${JSON.stringify(obj.steps)}, expected an integer ≥ 0`);
  const data = obj.data as PlaygroundRun['data'] | undefined;
  if (data !== null && (typeof data !== 'object' || typeof data?.name !== 'string' || typeof data?.text !== 'string')) fail('data is not null or { name, text }');
  return { format: RUN_FORMAT, version: 1, settings: obj.settings as string, steps: obj.steps as number, data: data ?? null };
}

/** A model.json or a model.onnx (by its name), as the CLI or this page's exports write them, or a run.json ("Download run"). */
export async function readModelFile(file: File): Promise<ImportedModel | { kind: 'run'; run: PlaygroundRun }> {
  if (/\.onnx$/i.test(file.name)) {
    checkSize(file);
    const { params, hidden, head, standardization, inputs } = fromOnnx(new Uint8Array(await file.arrayBuffer()), file.name);
    return { kind: 'model', params, hidden, head, standardization, inputs };
  }
  const text = await readText(file);
  let obj: unknown = null;
  try {
    obj = JSON.parse(text);
  } catch {
    // Not JSON: parseModelJson names the problem.
  }
  if (typeof obj === 'object' && obj !== null && (obj as { format?: unknown }).format === RUN_FORMAT) return { kind: 'run', run: parseRun(obj as Record<string, unknown>, file.name) };
  const { params, hidden, head, standardization, inputs } = parseModelJson(text, file.name);
  return { kind: 'model', params, hidden, head, standardization, inputs };
}

/** Offers text or bytes as a download. */
export function download(name: string, content: string | Uint8Array, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([content as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

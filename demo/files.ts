// Reading the user's files and saving the model. Files are untrusted input: they
// are size-checked before reading, parsed by the library's strict parsers, and
// their names and contents are shown only as text.
import { parseCsvData } from '../src/data/csv.ts';
import type { Standardization } from '../src/data/standardize.ts';
import { parseModelJson } from '../src/model/model-json.ts';
import { fromOnnx } from '../src/model/onnx.ts';
import type { Activation, Dataset, Head, Parameters } from '../src/types.ts';

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
 * A CSV data set of two classes (feature columns, then the label), named after
 * the file: its labels read by the library's label rules (text labels, 0/1 or two
 * other integers), the class names returned with it.
 */
export async function readCsvFile(file: File): Promise<{ data: Dataset; classNames: string[] }> {
  const parsed = parseCsvData(await readText(file), file.name);
  if (parsed.task !== 'classify' || parsed.classes !== 2) {
    const found = parsed.task === 'regress' ? 'a regression target' : `${parsed.classes} classes (${parsed.classNames!.join(', ')})`;
    throw new FileRejected(`${file.name}: its last column holds ${found}; the playground trains two classes from a file. npm run train -- --data ${file.name} trains any.`);
  }
  return { data: parsed.data, classNames: parsed.classNames! };
}

export interface ImportedModel {
  params: Parameters;
  hidden: Activation[];
  head: Head;
  standardization: Standardization | null;
}

/** A model.json or a model.onnx (by its name), as the CLI or this page's exports write them. */
export async function readModelFile(file: File): Promise<ImportedModel> {
  if (/\.onnx$/i.test(file.name)) {
    checkSize(file);
    return fromOnnx(new Uint8Array(await file.arrayBuffer()), file.name);
  }
  const { params, hidden, head, standardization } = parseModelJson(await readText(file), file.name);
  return { params, hidden, head, standardization };
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

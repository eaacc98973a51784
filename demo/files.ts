// Reading the user's files and saving the model. Files are untrusted input: they
// are size-checked before reading, parsed by the library's strict parsers, and
// their names and contents are shown only as text.
import { parseCsv } from '../src/data/csv.ts';
import { parseModelJson } from '../src/model/model-json.ts';
import type { Activation, Dataset, Parameters } from '../src/types.ts';

/** Larger files are refused before they are read. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export class FileRejected extends Error {
  override name = 'FileRejected';
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

async function readText(file: File): Promise<string> {
  if (file.size > MAX_FILE_BYTES) {
    throw new FileRejected(`${file.name} is ${mb(file.size)}; files over ${mb(MAX_FILE_BYTES)} are not read. Use a smaller sample of the data.`);
  }
  return file.text();
}

/** A CSV data set (feature columns, then a 0/1 label), named after the file. */
export async function readCsvFile(file: File): Promise<Dataset> {
  return parseCsv(await readText(file), file.name);
}

/** A model.json as written by the CLI or by exportModel. */
export async function readModelFile(file: File): Promise<{ params: Parameters; activation: Activation }> {
  return parseModelJson(await readText(file), file.name);
}

/** Offers text as a download. */
export function download(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

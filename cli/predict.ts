// `npm run predict -- --model out/model.json --data new.csv [--out predictions.csv]`:
// a saved model's predictions for the rows of a CSV, computed on the CPU in this
// process. Bad input fails with the file, the line or column, and what was
// expected. Exit status: 0 done, 1 a file is unreadable or malformed, 2 bad options.
import { RAW_INPUTS } from '../src/data/features.ts';
import { readFile, writeFile } from 'node:fs/promises';
import { parseFeatureCsv } from '../src/data/csv.ts';
import { FileFormatError, InputError } from '../src/errors.ts';
import { parseModelJson, type ParsedModel } from '../src/model/model-json.ts';
import { fromOnnx } from '../src/model/onnx.ts';
import { predictModel } from '../src/model/predict.ts';
import { regressionMetrics } from '../src/reference/network.ts';
import { USAGE_HINT, UsageError } from './options.ts';
import { fsReason } from './output.ts';
import { parsePredictArgs, predictionsCsv, predictUsage } from './predictions.ts';

class Failure extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

async function read(option: string, file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    throw new Failure(`${option} ${file}: cannot read it (${fsReason(e)})`, 1);
  }
}

async function loadModel(file: string): Promise<Pick<ParsedModel, 'params' | 'hidden' | 'head' | 'inputs' | 'standardization' | 'names'>> {
  const bytes = await read('--model', file);
  return /\.onnx$/i.test(file) ? fromOnnx(new Uint8Array(bytes), file) : parseModelJson(bytes.toString('utf8'), file);
}

async function main(argv: string[]): Promise<number> {
  const opts = parsePredictArgs(argv);
  if (opts.help) {
    process.stdout.write(predictUsage() + '\n');
    return 0;
  }
  const model = await loadModel(opts.model);
  const { sizes } = model.params;
  const rows = parseFeatureCsv((await read('--data', opts.data)).toString('utf8'), opts.data, { n0: model.inputs ? RAW_INPUTS : sizes[0], ...model.names });
  const prediction = predictModel(model, rows.X, rows.m);
  const csv = predictionsCsv(prediction, rows.m, model.names.classes ?? null);
  const notes = [`predicted ${rows.m} rows of ${opts.data} with [${sizes.join(', ')}] ${[...new Set(model.hidden)].join(',')}${model.hidden.length ? ' ' : ''}${model.head} from ${opts.model}`];
  if (rows.Y) {
    if (prediction.classIds) {
      const right = prediction.classIds.filter((k, j) => k === rows.Y![j]).length;
      notes.push(`accuracy on the file's labels: ${((100 * right) / rows.m).toFixed(2)}% (${right} of ${rows.m})`);
    } else {
      const { rmse, r2 } = regressionMetrics(prediction.outputs, rows.Y, rows.m);
      notes.push(`on the file's targets: RMSE ${rmse.toPrecision(4)}, R² ${r2.toFixed(4)}`);
    }
  }
  if (opts.out) {
    try {
      await writeFile(opts.out, csv);
    } catch (e) {
      throw new Failure(`--out ${opts.out}: cannot write it (${fsReason(e)})`, 1);
    }
    notes.push(`wrote ${opts.out}`);
  } else {
    process.stdout.write(csv);
  }
  process.stderr.write(notes.join('\n') + '\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const usage = e instanceof UsageError || e instanceof InputError;
    const code = e instanceof Failure ? e.code : usage ? 2 : 1;
    const message = e instanceof Failure || e instanceof FileFormatError || usage ? (e as Error).message : e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    process.stderr.write(`error: ${message}\n${usage ? `Run \`npm run predict -- --help\` for the options.\n` : ''}`);
    process.exit(code);
  },
);

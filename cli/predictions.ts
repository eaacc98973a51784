// `npm run predict`: its options and its output, without I/O (unit-tested in
// Node). A saved model (model.json, or model.onnx as --out writes it) predicts the
// rows of a CSV; see cli/predict.ts for the command.
import { UsageError, optionLines, parseArgs, type Spec } from './options.ts';
import type { Prediction } from '../src/model/predict.ts';

const SPECS: Spec[] = [
  { name: 'model', kind: 'string', arg: 'FILE', help: 'the model: model.json (or model.onnx) as `npm run train -- --out DIR` writes it' },
  { name: 'data', kind: 'string', arg: 'FILE.csv', help: 'the rows to predict: the model\'s feature columns (matched by header name when both have names), the label column optional' },
  { name: 'out', kind: 'string', arg: 'FILE.csv', help: 'write the predictions there (default: print them)' },
  { name: 'help', kind: 'flag', help: 'show this help' },
];

export interface PredictOptions {
  model: string;
  data: string;
  out: string | null;
  help: boolean;
}

export function predictUsage(): string {
  return [
    'Predict with a trained model, on the CPU (float64 from the saved float32 parameters, no GPU needed).',
    'The model\'s standardization and class names are applied; a classifier writes each row\'s class and',
    'the probability of every class, a regression the predicted value. With the label column present,',
    'the accuracy (or RMSE) on it is printed too.',
    '',
    'Usage: npm run predict -- --model FILE --data FILE.csv [--out FILE.csv]',
    '',
    ...optionLines(SPECS),
    '',
    'Example:',
    '  npm run train -- --data train.csv --out out/mine && npm run predict -- --model out/mine/model.json --data new.csv --out predictions.csv',
  ].join('\n');
}

export function parsePredictArgs(argv: readonly string[]): PredictOptions {
  const given = parseArgs(SPECS, argv);
  const help = given.has('help');
  for (const name of ['model', 'data']) {
    if (!help && !given.has(name)) throw new UsageError(`--${name}`, `--${name} is required: npm run predict -- --model FILE --data FILE.csv.`);
  }
  return { model: (given.get('model') as string) ?? '', data: (given.get('data') as string) ?? '', out: (given.get('out') as string) ?? null, help };
}

/** A CSV field: quoted when it holds a delimiter, a quote, a line break or edge spaces. */
export const csvField = (v: string): string => (/[",;\t\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Seven significant digits: float32's precision, without float64's noise. */
const digits = (v: number): string => String(Number(v.toPrecision(7)));

/**
 * The predictions as CSV: `class,p(name0),p(name1),…` for a classifier (the class
 * by name), `predicted` (or predicted1, predicted2, … for several outputs) for a regression.
 */
export function predictionsCsv(p: Prediction, m: number, classes: readonly string[] | null): string {
  if (p.classIds && p.probabilities) {
    const names = classes ?? p.probabilities[0].map((_, k) => String(k));
    const rows = [['class', ...names.map((n) => `p(${n})`)].map(csvField).join(',')];
    for (let j = 0; j < m; j++) rows.push([csvField(names[p.classIds[j]]), ...p.probabilities[j].map(digits)].join(','));
    return rows.join('\n') + '\n';
  }
  const outputs = p.outputs.length / m;
  const header = outputs === 1 ? ['predicted'] : Array.from({ length: outputs }, (_, i) => `predicted${i + 1}`);
  const rows = [header.join(',')];
  for (let j = 0; j < m; j++) rows.push(Array.from({ length: outputs }, (_, i) => digits(p.outputs[i * m + j])).join(','));
  return rows.join('\n') + '\n';
}

// The form: fills the selects, shows the settings in the controls, and turns a
// user's change into one call `onChange(key, value)`. Every control has a label
// in index.html; the dataset buttons are a group of toggle buttons with
// aria-pressed, usable with Tab and Enter/Space.
import { DATASET_DEFAULTS, DATASET_NAMES, MULTICLASS_DATASETS, REGRESSION_DATASETS, makeDataset, type DatasetName } from '../src/data/datasets.ts';
import { CLASS0, CLASS1, CLASS_COLORS, MAX_CLASSES, planeBounds, valueColor } from '../src/plot/boundary.ts';
import { ACTIVATIONS, INIT_SCHEMES, OPTIMIZERS } from '../src/types.ts';
import { FEATURE_LABELS, FEATURES, type Feature } from '../src/data/features.ts';
import { byId, el, setText } from './dom.ts';
import { BATCH_SIZES, DECAYS, L2_VALUES, LEARNING_RATES, MAX_DEEP_UNITS, MAX_HIDDEN, MAX_LAYERS, POINT_COUNTS, SPEEDS, type Layer, type Settings } from './state.ts';

export type OnChange = <K extends keyof Settings>(key: K, value: Settings[K]) => void;

const INIT_LABELS: Record<string, string> = {
  course: 'random × 0.01 (course)',
  xavier: 'Xavier',
  he: 'He',
  zeros: 'zeros (symmetry!)',
};

const OPTIMIZER_LABELS: Record<string, string> = { sgd: 'gradient descent', momentum: 'momentum', adam: 'Adam' };
const batchLabel = (v: string | number) => (Number(v) === 0 ? 'full batch (all m)' : String(v));
const decayLabel = (v: string | number) => (Number(v) === 1 ? 'none' : `× ${v}`);

function fillSelect(select: HTMLSelectElement, values: readonly (string | number)[], label: (v: string | number) => string): void {
  select.replaceChildren(...values.map((v) => new Option(label(v), String(v))));
}

/** Selects a value, adding it as an option when a URL gave one the list lacks. */
function selectValue(select: HTMLSelectElement, value: string | number, label: string): void {
  const v = String(value);
  if (![...select.options].some((o) => o.value === v)) select.add(new Option(label, v));
  select.value = v;
}

/** A small scatter of the data set on its button, so the choice is visual. */
function drawThumbnail(canvas: HTMLCanvasElement, name: DatasetName): void {
  const data = makeDataset(name, { m: 200 });
  const size = (canvas.width = canvas.height = 64);
  const b = planeBounds(data, size, size, 0.08);
  const ctx = canvas.getContext('2d')!;
  for (let j = 0; j < data.m; j++) {
    const rgb = REGRESSION_DATASETS.includes(name) ? valueColor(data.Y[j], -1, 1, 1) : CLASS_COLORS[data.Y[j]] ?? (data.Y[j] === 1 ? CLASS1 : CLASS0);
    ctx.fillStyle = `rgb(${rgb.join(',')})`;
    const x = ((data.X[j] - b.xMin) / (b.xMax - b.xMin)) * size;
    const y = size - ((data.X[data.m + j] - b.yMin) / (b.yMax - b.yMin)) * size;
    ctx.fillRect(x - 1.2, y - 1.2, 2.4, 2.4);
  }
}

/** The hidden layers after the first, as editable rows (units, activation, remove); `onChange('deeper', …)` on every edit. */
function showLayers(s: Settings, onChange: OnChange): void {
  const box = byId('layers');
  const rows = s.deeper.map((layer, k) => {
    const l = k + 2;
    const row = el('div', 'layer-row');
    row.setAttribute('role', 'listitem');
    const set = (next: Partial<Layer>) => onChange('deeper', s.deeper.map((x, i) => (i === k ? { ...x, ...next } : x)));
    const units = el('input');
    Object.assign(units, { type: 'number', min: '1', max: String(MAX_DEEP_UNITS), step: '1', value: String(layer.units) });
    units.inputMode = 'numeric';
    units.setAttribute('aria-label', `Units of hidden layer ${l}`);
    units.addEventListener('change', () => {
      const v = Math.round(Number(units.value));
      if (Number.isFinite(v)) set({ units: Math.min(MAX_DEEP_UNITS, Math.max(1, v)) });
    });
    const activation = el('select');
    fillSelect(activation, ACTIVATIONS, String);
    activation.value = layer.activation;
    activation.setAttribute('aria-label', `Activation of hidden layer ${l}`);
    activation.addEventListener('change', () => set({ activation: activation.value as Layer['activation'] }));
    const remove = el('button', 'small', 'Remove');
    remove.type = 'button';
    remove.setAttribute('aria-label', `Remove hidden layer ${l}`);
    remove.addEventListener('click', () => onChange('deeper', s.deeper.filter((_, i) => i !== k)));
    row.append(el('span', '', `Layer ${l}:`), units, el('span', 'muted', 'units'), activation, remove);
    return row;
  });
  box.replaceChildren(...rows);
  const add = byId<HTMLButtonElement>('add-layer');
  // A network without a hidden layer has no layer to follow.
  add.disabled = s.deeper.length >= MAX_LAYERS - 1 || s.hidden === 0;
  add.onclick = () => onChange('deeper', [...s.deeper, { units: s.deeper.at(-1)?.units ?? s.hidden, activation: s.deeper.at(-1)?.activation ?? s.activation }]);
}

/**
 * The formula and the tiles' caption follow the network: its depth (none, one or more
 * hidden layers) and its output (σ for two classes, softmax for K, the identity for a regression).
 */
export function showFormula(hiddenLayers: number, head: 'sigmoid' | 'softmax' | 'linear', inputs: readonly string[]): void {
  const L = hiddenLayers + 1;
  const out = { sigmoid: 'σ', softmax: 'softmax', linear: '' }[head];
  const wrap = (z: string) => (out ? `${out}(${z})` : z);
  const formula = byId('formula');
  const html = L === 1
    ? `ŷ = ${wrap('W<sup>[1]</sup>x + b<sup>[1]</sup>')}`
    : L === 2
      ? `ŷ = ${wrap('W<sup>[2]</sup> g(W<sup>[1]</sup>x + b<sup>[1]</sup>) + b<sup>[2]</sup>')}`
      : `A<sup>[l]</sup> = g<sup>[l]</sup>(W<sup>[l]</sup>A<sup>[l−1]</sup> + b<sup>[l]</sup>) for l = 1 … ${L - 1}, A<sup>[0]</sup> = x; ŷ = ${wrap(`W<sup>[${L}]</sup>A<sup>[${L - 1}]</sup> + b<sup>[${L}]</sup>`)}`;
  if (formula.innerHTML !== html) formula.innerHTML = html;
  const spoken = out === 'σ' ? 'sigma' : out || 'the identity';
  formula.setAttribute('aria-label', L === 1 ? `y hat equals ${spoken} of W1 x plus b1` : L === 2 ? `y hat equals ${spoken} of W2 times g of W1 x plus b1, plus b2` : `${L - 1} hidden layers, each g of W times the layer before plus b; y hat is ${spoken} of layer ${L}`);
  const outputs = head === 'softmax' ? 'each class\'s output adds them up with its own row of weights; the frame shows the strongest, in the colour of the class it feeds' : head === 'linear' ? 'the output adds them up with the weights w shown under each tile' : 'the output adds them up with the weights w shown under each tile (blue frame: towards class 1)';
  const caption = byId('units-caption');
  // The inputs' names may be a file's header: text, never HTML.
  if (L === 1) return setText('units-caption', `No hidden layer: x is the inputs (${inputs.join(', ')}) and the output weighs them directly.`);
  const next = `Each tile is one unit of the first hidden layer: what g(W<sup>[1]</sup><sub>i</sub>x + b<sup>[1]</sup><sub>i</sub>) computes over the plane, magenta low, slate high; ${L === 2 ? outputs : 'the next layer adds them up with the weights w shown under each tile'}.`;
  if (caption.innerHTML !== next) caption.innerHTML = next;
}

let changeHandler: OnChange | null = null;

export function buildControls(onChange: OnChange): void {
  changeHandler = onChange;
  fillSelect(byId('speed'), SPEEDS, (v) => (v === 0 ? 'as fast as the GPU goes' : `${v} step${v === 1 ? '' : 's'} / frame`));
  fillSelect(byId('lr'), LEARNING_RATES, String);
  fillSelect(byId('activation'), ACTIVATIONS, String);
  fillSelect(byId('init'), INIT_SCHEMES, (v) => INIT_LABELS[v] ?? String(v));
  fillSelect(byId('points'), POINT_COUNTS, String);
  fillSelect(byId('classes'), Array.from({ length: MAX_CLASSES - 1 }, (_, k) => k + 2), String);
  fillSelect(byId('optimizer'), OPTIMIZERS, (v) => OPTIMIZER_LABELS[v] ?? String(v));
  fillSelect(byId('batch'), BATCH_SIZES, batchLabel);
  fillSelect(byId('l2'), L2_VALUES, String);
  fillSelect(byId('l1'), L2_VALUES, String);
  fillSelect(byId('decay'), DECAYS, decayLabel);
  byId<HTMLInputElement>('hidden').max = String(MAX_HIDDEN);
  // The input features, as TensorFlow Playground offers them: a pressed tile is an input (one at least); pictures.ts paints them.
  for (const f of FEATURES) {
    const button = el('button', 'feature');
    button.type = 'button';
    button.dataset.feature = f;
    button.setAttribute('aria-pressed', 'false');
    button.title = `${FEATURE_LABELS[f]} as an input of the network`;
    const canvas = el('canvas');
    canvas.width = canvas.height = 24;
    button.append(canvas, el('span', '', FEATURE_LABELS[f]));
    button.addEventListener('click', () => {
      const now = shown?.features ?? [];
      const next = now.includes(f) ? now.filter((x) => x !== f) : FEATURES.filter((x) => x === f || now.includes(x));
      if (next.length > 0) onChange('features', next);
    });
    byId('features').append(button);
  }

  const datasets = byId('datasets');
  for (const name of DATASET_NAMES) {
    const button = el('button');
    button.type = 'button';
    button.dataset.dataset = name;
    button.setAttribute('aria-pressed', 'false');
    button.title = DATASET_DEFAULTS[name].description;
    const canvas = el('canvas');
    canvas.setAttribute('aria-hidden', 'true');
    drawThumbnail(canvas, name);
    button.append(canvas, el('span', '', name));
    button.addEventListener('click', () => onChange('dataset', name));
    datasets.append(button);
  }

  const number = (id: string, key: 'seed' | 'hidden', lo: number, hi: number) => {
    const input = byId<HTMLInputElement>(id);
    input.addEventListener('change', () => {
      const v = Math.round(Number(input.value));
      if (Number.isFinite(v)) onChange(key, Math.min(hi, Math.max(lo, v)));
    });
  };
  number('seed', 'seed', 0, 2 ** 31 - 1);
  number('hidden', 'hidden', 0, MAX_HIDDEN);
  const hidden = byId<HTMLInputElement>('hidden');
  byId('hidden-minus').addEventListener('click', () => onChange('hidden', Math.max(0, Number(hidden.value) - 1)));
  byId('hidden-plus').addEventListener('click', () => onChange('hidden', Math.min(MAX_HIDDEN, Number(hidden.value) + 1)));
  byId('reseed').addEventListener('click', () => onChange('seed', 1 + Math.floor(Math.random() * 99_999)));
  // New data alone, as TensorFlow Playground's Regenerate: a data seed of its own.
  byId('regenerate').addEventListener('click', () => onChange('dataSeed', 1 + Math.floor(Math.random() * 99_999)));
  byId<HTMLInputElement>('show-test').addEventListener('change', (e) => onChange('showTest', (e.target as HTMLInputElement).checked));
  byId<HTMLInputElement>('standardize').addEventListener('change', (e) => onChange('standardize', (e.target as HTMLInputElement).checked));
  byId<HTMLInputElement>('discretize').addEventListener('change', (e) => onChange('discretize', (e.target as HTMLInputElement).checked));

  byId<HTMLSelectElement>('speed').addEventListener('change', (e) => onChange('speed', Number((e.target as HTMLSelectElement).value)));
  byId<HTMLSelectElement>('lr').addEventListener('change', (e) => onChange('learningRate', Number((e.target as HTMLSelectElement).value)));
  byId<HTMLSelectElement>('activation').addEventListener('change', (e) => onChange('activation', (e.target as HTMLSelectElement).value as Settings['activation']));
  byId<HTMLSelectElement>('init').addEventListener('change', (e) => onChange('init', (e.target as HTMLSelectElement).value as Settings['init']));
  byId<HTMLSelectElement>('points').addEventListener('change', (e) => onChange('points', Number((e.target as HTMLSelectElement).value)));
  byId<HTMLSelectElement>('classes').addEventListener('change', (e) => onChange('classes', Number((e.target as HTMLSelectElement).value)));
  byId<HTMLSelectElement>('optimizer').addEventListener('change', (e) => onChange('optimizer', (e.target as HTMLSelectElement).value as Settings['optimizer']));
  byId<HTMLSelectElement>('batch').addEventListener('change', (e) => onChange('batch', Number((e.target as HTMLSelectElement).value)));
  byId<HTMLSelectElement>('l2').addEventListener('change', (e) => onChange('l2', Number((e.target as HTMLSelectElement).value)));
  byId<HTMLSelectElement>('l1').addEventListener('change', (e) => onChange('l1', Number((e.target as HTMLSelectElement).value)));
  byId<HTMLSelectElement>('decay').addEventListener('change', (e) => onChange('decay', Number((e.target as HTMLSelectElement).value)));
  // β1, β2 and the decay's period: numbers in range, else the control shows the setting again.
  for (const [id, key, lo, hi, integer] of [['beta1', 'beta1', 0, 0.9999, false], ['beta2', 'beta2', 0, 0.99999, false], ['decay-every', 'decayEvery', 1, 1_000_000, true]] as const) {
    const input = byId<HTMLInputElement>(id);
    input.addEventListener('change', () => {
      const v = Number(input.value);
      if (input.value.trim() !== '' && Number.isFinite(v) && v >= lo && v <= hi && (!integer || Number.isInteger(v))) onChange(key, v);
    });
  }
  // Sliders: the value shows while dragging; the data is rebuilt when the thumb is released.
  for (const [id, key] of [['noise', 'noise'], ['test', 'testFraction']] as const) {
    const input = byId<HTMLInputElement>(id);
    input.addEventListener('input', () => showSlider(id, Number(input.value)));
    input.addEventListener('change', () => onChange(key, Number(input.value)));
  }
}

function showSlider(id: 'noise' | 'test', v: number): void {
  setText(`${id}-value`, id === 'test' ? `${Math.round(v * 100)}%` : v.toFixed(2));
}

/** The settings shown last (the feature tiles toggle against them). */
let shown: Settings | null = null;

/** Puts the settings into the controls (after a URL load, an import or a change). */
export function showSettings(s: Settings, csv: { name: string; regression: boolean; n0: number } | null): void {
  shown = s;
  if (changeHandler) showLayers(s, changeHandler);
  // Input features are computed from (x1, x2): 2-feature data only.
  byId('features-field').hidden = csv !== null && csv.n0 !== 2;
  for (const button of byId('features').querySelectorAll<HTMLButtonElement>('button')) {
    button.setAttribute('aria-pressed', String(s.features.includes(button.dataset.feature as Feature)));
  }
  selectValue(byId('speed'), s.speed, s.speed === 0 ? 'as fast as the GPU goes' : `${s.speed} steps / frame`);
  selectValue(byId('lr'), s.learningRate, String(s.learningRate));
  byId<HTMLSelectElement>('activation').value = s.activation;
  byId<HTMLSelectElement>('init').value = s.init;
  selectValue(byId('points'), s.points, String(s.points));
  byId<HTMLSelectElement>('optimizer').value = s.optimizer;
  byId<HTMLSelectElement>('classes').value = String(s.classes);
  const generated = s.dataset !== 'csv';
  // Fields that do not apply are hidden, not left stale: K for spiral and blobs only; size, noise and Regenerate for generated sets; standardization for a file.
  byId('classes-field').hidden = !generated || !MULTICLASS_DATASETS.includes(s.dataset as DatasetName);
  byId('points-field').hidden = byId('noise-field').hidden = byId('regenerate').hidden = !generated;
  byId('standardize-field').hidden = generated;
  byId<HTMLInputElement>('standardize').checked = s.standardize;
  selectValue(byId('batch'), s.batch, batchLabel(s.batch));
  selectValue(byId('l2'), s.l2, String(s.l2));
  selectValue(byId('l1'), s.l1, String(s.l1));
  selectValue(byId('decay'), s.decay, decayLabel(s.decay));
  byId<HTMLInputElement>('show-test').checked = s.showTest;
  const discretize = byId<HTMLInputElement>('discretize');
  discretize.checked = s.discretize;
  // A regression's plane is a value map, not classes; a file's data cannot be regenerated.
  discretize.disabled = s.dataset === 'ripple' || (s.dataset === 'csv' && csv?.regression === true);
  byId<HTMLInputElement>('beta1').value = String(s.beta1);
  byId<HTMLInputElement>('beta2').value = String(s.beta2);
  byId<HTMLInputElement>('decay-every').value = String(s.decayEvery);
  // β1 serves momentum and Adam, β2 only Adam.
  byId('betas').hidden = s.optimizer === 'sgd';
  byId('beta2').hidden = byId('beta2-label').hidden = s.optimizer !== 'adam';
  byId<HTMLInputElement>('decay-every').disabled = s.decay === 1;
  byId<HTMLInputElement>('seed').value = String(s.seed);
  byId<HTMLInputElement>('hidden').value = String(s.hidden);
  const noise = byId<HTMLInputElement>('noise');
  noise.value = String(s.noise);
  showSlider('noise', s.noise);
  byId<HTMLInputElement>('test').value = String(s.testFraction);
  showSlider('test', s.testFraction);
  for (const button of byId('datasets').querySelectorAll<HTMLButtonElement>('button')) {
    button.setAttribute('aria-pressed', String(button.dataset.dataset === s.dataset));
  }
  const description = s.dataset === 'csv' ? '' : DATASET_DEFAULTS[s.dataset].description;
  setText('dataset-desc', generated ? `${s.dataset}: ${description}.` : `Your file ${csv?.name ?? ''} (not part of the link).`);
}

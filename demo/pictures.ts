// The live pictures: the decision boundary over the plane, one heatmap per hidden
// unit, and the cost and accuracy curves. The boundary and the units come from
// ONE forward pass of the whole grid on the GPU (Trainer.activations gives A1 and
// A2 together); only the colouring of pixels happens in JavaScript.
import { g } from '../src/reference/activations.ts';
import { FEATURE_LABELS, FEATURES, featureValue } from '../src/data/features.ts';
import { standardizeX } from '../src/data/standardize.ts';
import { CLASS_COLORS, drawDecisionBoundary, gridX, type Bounds } from '../src/plot/boundary.ts';
import { drawLineChart } from '../src/plot/line-chart.ts';
import { confusionMatrix } from '../src/model/predict.ts';
import { drawUnitHeatmap } from '../src/plot/unit-heatmap.ts';
import type { Activation, Parameters } from '../src/types.ts';
import { byId, el, setText } from './dom.ts';
import { showFormula } from './controls.ts';
import { drawDiagram } from './diagram.ts';
import type { Session } from './session.ts';
import type { Change, Settings } from './state.ts';

/** Hidden units drawn as tiles; with more, the most influential ones (largest |w|) are drawn. */
export const MAX_UNIT_TILES = 32;

const TRAIN_COLOR = '#1f2937';
const TEST_COLOR = '#6b7280';

/** With more hidden units than this in all, the deeper layers' tiles are not drawn (each would be read back every frame). */
export const MAX_READ_UNITS = 256;

export async function drawPictures(session: Session, view: Pick<Settings, 'grid' | 'showTest' | 'discretize'>): Promise<void> {
  const { grid } = view;
  const trainer = session.trainer;
  if (!trainer) return;
  const sizes = trainer.sizes;
  const L = sizes.length - 1;
  const n1 = sizes[1];
  const hiddenTotal = sizes.slice(1, L).reduce((a, b) => a + b, 0);
  const activations = session.activations;
  const boundary = byId<HTMLCanvasElement>('boundary');
  const note = byId('boundary-note');
  const deeper = byId('units-deeper');
  byId('axes').hidden = !session.bounds;
  if (session.bounds) {
    const [xName, yName] = session.axisNames;
    setText('axis-x', `→ ${xName}`);
    setText('axis-y', `↑ ${yName}`);
    boundary.hidden = false;
    note.hidden = true;
    const got: { A: Float32Array[] | null } = { A: null };
    // One pass over the boundary's grid gives A[L] for it and, when few enough, every hidden layer for the tiles.
    const readAll = L === 2 ? n1 <= MAX_UNIT_TILES : hiddenTotal <= MAX_READ_UNITS;
    await drawDecisionBoundary(
      boundary,
      async (X, m) => {
        const inputs = session.inputsOf(X, m);
        if (readAll) {
          got.A = await trainer.activations(inputs, m);
          return got.A[L];
        }
        return trainer.predict(inputs, m);
      },
      session.train,
      {
        resolution: grid, bounds: session.bounds, testData: view.showTest ? session.test : undefined, classes: session.classes, discretize: view.discretize,
        range: session.task === 'regression' ? session.targetRange : undefined,
      },
    );
    // One read of the parameters per redraw: the tiles' frames, and layer 1's top units when it is wide.
    const params = await trainer.getParameters();
    drawNetwork(session, params);
    const out = (l: number) => outWeights(params.W[l + 1], sizes[l], l + 1 === L);
    drawFeatureTiles(session);
    if (L === 1) {
      byId('units').replaceChildren();
      setText('units-note', 'No hidden layer: the output reads the inputs directly, so its boundary is a line in them (a circle when the inputs are x₁² and x₂²).');
    } else if (got.A && n1 <= MAX_UNIT_TILES) drawUnitTiles(byId('units'), got.A[1], n1, grid, activations[0], out(1));
    else drawTopUnits(params, out(1), activations[0], session, grid);
    drawDeeperLayers(deeper, got.A, sizes, grid, activations, out);
  } else {
    boundary.hidden = true;
    note.hidden = false;
    note.textContent = `Your data has ${session.all.n0} features: the boundary and the hidden units are drawn for 2-feature data only. Training and the curves work as usual.`;
    byId('units').replaceChildren();
    deeper.replaceChildren();
    setText('units-note', '');
    drawNetwork(session, await trainer.getParameters());
  }
  drawCurves(session);
  drawLegend(session);
  showFormula(L - 1, session.head, session.inputNames);
  const confusion = session.task === 'classification';
  byId('confusion-title').parentElement!.hidden = !confusion;
  if (confusion) await drawConfusion(session);
}

/** The diagram of the network with these weights: its inputs and outputs named as the data names them. */
function drawNetwork(session: Session, params: Parameters): void {
  drawDiagram(params, session.inputNames, session.head === 'softmax' ? session.classNames : ['ŷ']);
}

/** The plane's bounds the feature tiles were last painted for. */
let featureTilesFor = '';

/**
 * The input features as TensorFlow Playground draws them: each a tile of its value over the
 * plane (magenta negative, slate positive, as the unit tiles), pressed when the network takes it. Painted when the
 * plane changes; the buttons themselves are the controls' (demo/controls.ts).
 */
function drawFeatureTiles(session: Session): void {
  const bounds = session.bounds!;
  const key = JSON.stringify(bounds);
  if (key === featureTilesFor) return;
  featureTilesFor = key;
  const n = 24;
  const X = gridX(bounds, n, n);
  const m = n * n;
  for (const f of FEATURES) {
    const canvas = document.querySelector<HTMLCanvasElement>(`#features button[data-feature="${f}"] canvas`);
    if (!canvas) continue;
    const values = Float32Array.from({ length: m }, (_, j) => featureValue(f, X[j], X[m + j]));
    const top = Math.max(1e-9, ...values.map(Math.abs));
    drawUnitHeatmap(canvas, values.map((v) => v / top), 0, n, 'tanh');
    canvas.setAttribute('aria-label', FEATURE_LABELS[f]);
  }
}

/** The boundary's key: the two classes, K class colours, or the regression map's ends. */
function drawLegend(session: Session): void {
  const K = session.classes;
  const names = session.classNames;
  const swatch = (rgb: readonly number[], label: string) => {
    const item = el('span');
    const mark = el('i', 'swatch');
    mark.style.background = `rgb(${rgb.join(',')})`;
    item.append(mark, label);
    return item;
  };
  const items = session.task === 'regression'
    ? [swatch(CLASS_COLORS[0], `low ŷ (${session.targetRange.lo.toFixed(2)})`), swatch(CLASS_COLORS[1], `high ŷ (${session.targetRange.hi.toFixed(2)})`)]
    : K > 2
      ? Array.from({ length: K }, (_, k) => swatch(CLASS_COLORS[k], `class ${names[k]}`))
      : [swatch(CLASS_COLORS[1], `class ${names[1]} (ŷ > 0.5)`), swatch(CLASS_COLORS[0], `class ${names[0]}`)];
  byId('legend-classes').replaceChildren(...items);
}

/**
 * Hidden layers 2 … L−1: a heading and the tiles of each (the MAX_UNIT_TILES units with the
 * largest outgoing |w| when there are more), framed by their outgoing weights as layer 1's.
 */
function drawDeeperLayers(
  box: HTMLElement,
  A: Float32Array[] | null,
  sizes: number[],
  grid: number,
  activations: Activation[],
  out: (l: number) => OutWeight[],
): void {
  const L = sizes.length - 1;
  const layers = Array.from({ length: Math.max(0, L - 2) }, (_, k) => k + 2);
  while (box.children.length > layers.length) box.lastElementChild!.remove();
  layers.forEach((l, k) => {
    let section = box.children[k] as HTMLElement | undefined;
    if (!section) {
      section = el('div', 'layer-tiles');
      const units = el('div', 'units');
      units.setAttribute('role', 'list');
      section.append(el('h3', 'layer-title'), units, el('p', 'muted small-text layer-note'));
      box.append(section);
    }
    const [title, units, note] = section.children as unknown as [HTMLElement, HTMLElement, HTMLElement];
    const n = sizes[l];
    title.textContent = `Layer ${l}: ${n} ${activations[l - 1]} unit${n === 1 ? '' : 's'}`;
    units.setAttribute('aria-label', `What each unit of hidden layer ${l} computes`);
    if (!A) {
      units.replaceChildren();
      note.textContent = `Not drawn: more than ${MAX_READ_UNITS} hidden units in all would be read back every frame.`;
      return;
    }
    const w = out(l);
    const shown = topUnits(w);
    renderTiles(units, shown, w, (canvas, i) => drawUnitHeatmap(canvas, A[l], i, grid, activations[l - 1]));
    note.textContent = n > MAX_UNIT_TILES ? `Showing the ${MAX_UNIT_TILES} of ${n} units with the largest outgoing weight |w|.` : '';
  });
}

/** Each hidden unit's strongest outgoing weight: W2 (1, n1) itself, or for K outputs the largest |w| and its class. */
interface OutWeight {
  w: number;
  /** The output class it feeds (K > 2), else null. */
  to: number | null;
}

/** The units to draw: all of them in order, or the MAX_UNIT_TILES with the largest outgoing |w|, largest first. */
function topUnits(w: OutWeight[]): number[] {
  const all = w.map((_, i) => i);
  return all.length <= MAX_UNIT_TILES ? all : all.sort((p, q) => Math.abs(w[q].w) - Math.abs(w[p].w)).slice(0, MAX_UNIT_TILES);
}

/** W (n_next, n): each of the n units' strongest outgoing weight; `to` its class when the next layer is K > 1 outputs. */
function outWeights(W: Float64Array, n: number, toOutput = true): OutWeight[] {
  const next = W.length / n;
  return Array.from({ length: n }, (_, i) => {
    let to = 0;
    for (let c = 1; c < next; c++) if (Math.abs(W[c * n + i]) > Math.abs(W[to * n + i])) to = c;
    return { w: W[to * n + i], to: toOutput && next > 1 ? to : null };
  });
}

/**
 * The confusion matrix of the test set (the training set when none is held out): rows
 * the true class, columns the predicted one, the diagonal right.
 */
async function drawConfusion(session: Session): Promise<void> {
  const trainer = session.trainer!;
  const data = session.test.m > 0 ? session.testIn : session.trainIn;
  const K = session.classes;
  const names = session.classNames;
  const counts = confusionMatrix(await trainer.predict(data.X, data.m), data.Y, data.m, K);
  setText('confusion-title', `Confusion matrix, ${session.test.m > 0 ? 'test' : 'training'} set (rows: true class, columns: predicted)`);
  const table = byId('confusion');
  const swatch = (c: number) => {
    const cell = el('th', 'cls');
    cell.setAttribute('scope', 'col');
    cell.style.color = `rgb(${CLASS_COLORS[c].join(',')})`;
    cell.textContent = names[c];
    return cell;
  };
  const head = el('tr');
  head.append(el('th'), ...Array.from({ length: K }, (_, c) => swatch(c)));
  const rows = counts.map((row, t) => {
    const tr = el('tr');
    const label = swatch(t);
    label.setAttribute('scope', 'row');
    tr.append(label, ...row.map((n, p) => {
      const td = el('td', p === t ? 'right' : n > 0 ? 'wrong' : '', String(n));
      return td;
    }));
    return tr;
  });
  table.replaceChildren(head, ...rows);
}

/** Tiles for every unit: A1 is (n1, grid²), one row per unit. */
function drawUnitTiles(box: HTMLElement, A1: Float32Array, n1: number, grid: number, activation: Activation, w2: OutWeight[]): void {
  const units = Array.from({ length: n1 }, (_, i) => i);
  renderTiles(box, units, w2, (canvas, i) => drawUnitHeatmap(canvas, A1, i, grid, activation));
  setText('units-note', n1 > 1 && allRowsEqual(A1, n1) ? SYMMETRY_NOTE : '');
}

const SYMMETRY_NOTE =
  'All hidden units compute exactly the same function. Started equal (zero initialization), they get equal ' +
  'gradients and stay equal for ever: the network is no better than one unit. Choose a random initialization and reset.';

/** True when every row of A1 (n1, m) equals the first: the units have not broken symmetry. */
function allRowsEqual(A1: Float32Array, n1: number): boolean {
  const m = A1.length / n1;
  for (let i = 1; i < n1; i++) for (let j = 0; j < m; j++) if (A1[i * m + j] !== A1[j]) return false;
  return true;
}

/**
 * Many units: reading A1 for all of them each frame would move n1 × grid² floats,
 * so the MAX_UNIT_TILES units with the largest |w| are computed here from W1 and
 * b1 (two multiply-adds and g per pixel) on a coarser grid.
 */
function drawTopUnits({ W, b, sizes }: Parameters, w2: OutWeight[], activation: Activation, session: Session, grid: number): void {
  const [n0, n1] = sizes;
  const top = topUnits(w2);
  const n = Math.min(grid, 40);
  const m = n * n;
  // The grid's points as the network's inputs (their features), standardized as the trainer's.
  let X = session.inputsOf(gridX(session.bounds!, n, n), m);
  const standardization = session.trainer?.standardization;
  if (standardization) X = standardizeX(X, n0, m, standardization);
  // A1 rows for the chosen units only, as (count, m).
  const A1 = new Float32Array(top.length * m);
  top.forEach((unit, r) => {
    for (let j = 0; j < m; j++) {
      let z = b[1][unit];
      for (let k = 0; k < n0; k++) z += W[1][unit * n0 + k] * X[k * m + j];
      A1[r * m + j] = g(activation, z);
    }
  });
  renderTiles(byId('units'), top, w2, (canvas, r) => drawUnitHeatmap(canvas, A1, r, n, activation), true);
  setText('units-note', `Showing the ${top.length} of ${n1.toLocaleString('en-US')} units with the largest outgoing weight |w|, computed from W[1] and b[1] on a ${n}×${n} grid.`);
}

/** Reuses the tile elements between frames; only their pixels and captions change. */
function renderTiles(box: HTMLElement, units: number[], w2: OutWeight[], paint: (canvas: HTMLCanvasElement, index: number) => void, byRank = false): void {
  box.classList.toggle('few', units.length <= 8);
  while (box.children.length > units.length) box.lastElementChild!.remove();
  const maxW = Math.max(1e-6, ...units.map((u) => Math.abs(w2[u].w)));
  units.forEach((unit, index) => {
    let tile = box.children[index] as HTMLElement | undefined;
    if (!tile) {
      tile = el('div', 'unit');
      tile.setAttribute('role', 'listitem');
      tile.append(el('canvas'), el('span', 'name'), el('span', 'w'));
      box.append(tile);
    }
    const [canvas, name, weight] = tile.children as unknown as [HTMLCanvasElement, HTMLElement, HTMLElement];
    tile.dataset.unit = String(unit);
    paint(canvas, byRank ? index : unit);
    const { w, to } = w2[unit];
    // The frame's colour and thickness show w's sign and size, like Playground's links
    // (K classes: the colour of the class the unit feeds most strongly).
    const alpha = 0.15 + (0.85 * Math.abs(w)) / maxW;
    const rgb = to === null ? (w >= 0 ? CLASS_COLORS[1] : CLASS_COLORS[0]) : CLASS_COLORS[to];
    canvas.style.borderColor = `rgba(${rgb.join(', ')}, ${alpha})`;
    name.textContent = `unit ${unit + 1}`;
    weight.textContent = `${to === null ? 'w' : `w → ${to}`} = ${w >= 0 ? '+' : '−'}${Math.abs(w).toFixed(2)}`;
    weight.className = `w ${w >= 0 ? 'pos' : 'neg'}`;
    canvas.setAttribute('aria-label', `Hidden unit ${unit + 1}, output weight ${w.toFixed(2)}`);
    canvas.setAttribute('role', 'img');
  });
}

export function drawCurves(session: Session): void {
  const { trainCost, testCost, trainAcc, testAcc } = session.curves;
  const markers = session.changes.map((c) => ({ x: c.step, label: changeLabel(c) }));
  // A spike (a learning rate too large) is clipped at twice the starting cost, and said so: the rest stays readable.
  const start = trainCost[0]?.y;
  drawLineChart(byId<HTMLCanvasElement>('cost-chart'), [
    { label: 'training', color: TRAIN_COLOR, points: trainCost },
    { label: 'test', color: TEST_COLOR, dash: true, points: testCost },
  ], { markers, ...(start > 0 && Number.isFinite(start) ? { yClip: 2 * start } : {}) });
  const regression = session.task === 'regression';
  setText('acc-caption', regression ? 'R² against step' : 'Accuracy against step');
  drawLineChart(byId<HTMLCanvasElement>('acc-chart'), [
    { label: 'training', color: TRAIN_COLOR, points: trainAcc },
    { label: 'test', color: TEST_COLOR, dash: true, points: testAcc },
  ], regression
    ? { yMax: 1, formatValue: (v) => v.toFixed(3), markers }
    : { yMin: 0, yMax: 1, formatY: (v) => `${Math.round(v * 100)}%`, formatValue: (v) => `${(v * 100).toFixed(1)}%`, markers });
}

/** A change as the curves label it: "α 0.3", "adam", "B 32" (full batch: "B all"), "λ 0.01". */
function changeLabel(c: Change): string {
  if (c.key === 'learningRate') return `α ${c.value}`;
  if (c.key === 'batch') return `B ${c.value === 0 ? 'all' : c.value}`;
  if (c.key === 'l2') return `λ ${c.value}`;
  if (c.key === 'l1') return `λ1 ${c.value}`;
  if (c.key === 'beta1') return `β1 ${c.value}`;
  if (c.key === 'beta2') return `β2 ${c.value}`;
  if (c.key === 'decay') return `decay ×${c.value}`;
  if (c.key === 'decayEvery') return `every ${c.value}`;
  return String(c.value);
}

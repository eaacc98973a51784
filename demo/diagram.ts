// The network drawn as TensorFlow Playground draws it: a column of nodes per layer
// (the inputs, each hidden layer, the outputs) and a line for every weight between
// them, its colour the weight's sign (slate +, magenta −, as the unit tiles) and its
// width and opacity its size. Pointing at a line reads the weight; pointing at a
// hidden unit enlarges its tile. Built once per network shape, then only the lines'
// looks change as the weights do.
import type { Parameters } from '../src/types.ts';
import { TILE_HIGH, TILE_LOW } from '../src/plot/unit-heatmap.ts';
import { byId } from './dom.ts';

/** Nodes drawn per layer; a wider layer shows its first MAX_NODES units and says how many more. */
export const MAX_NODES = 10;
const SVG = 'http://www.w3.org/2000/svg';
const ROW = 26;
const PAD = 16;

let shape = '';

const node = <K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] => {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
};

/** Units shown of a layer of n: the first MAX_NODES. */
const shown = (n: number) => Math.min(n, MAX_NODES);

/** What a node is called in the readout: an input's name, a hidden unit, an output. */
function nodeName(l: number, i: number, L: number, inputs: readonly string[], outputs: readonly string[]): string {
  if (l === 0) return `input ${inputs[i] ?? `x${i + 1}`}`;
  if (l === L) return outputs.length > 1 ? `output ${outputs[i]}` : 'the output';
  return `unit ${i + 1} of layer ${l}`;
}

/**
 * Draws (or updates) the diagram for `params`: `inputs` names the first layer's nodes,
 * `outputs` the last's (class names for K outputs).
 */
export function drawDiagram(params: Parameters, inputs: readonly string[], outputs: readonly string[]): void {
  const svg = byId('diagram') as unknown as SVGSVGElement;
  const { sizes, W } = params;
  const L = sizes.length - 1;
  const width = Math.max(240, svg.parentElement?.clientWidth ?? 320);
  const height = PAD * 2 + ROW * (Math.max(...sizes.map(shown)) - 1) + 14;
  const x = (l: number) => PAD + 28 + ((width - 2 * PAD - 56) * l) / L;
  const y = (l: number, i: number) => height / 2 + (i - (shown(sizes[l]) - 1) / 2) * ROW;
  const key = `${sizes.join(',')}|${inputs.join(',')}|${outputs.join(',')}|${width}`;
  if (key !== shape) {
    shape = key;
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.setAttribute('height', String(height));
    const edges = node('g', { class: 'edges' });
    const hits = node('g', { class: 'hits' });
    const nodes = node('g', { class: 'nodes' });
    for (let l = 1; l <= L; l++) {
      for (let i = 0; i < shown(sizes[l]); i++) {
        for (let j = 0; j < shown(sizes[l - 1]); j++) {
          const at = { x1: x(l - 1), y1: y(l - 1, j), x2: x(l), y2: y(l, i) };
          edges.append(node('line', { ...at, 'data-edge': `${l}:${i}:${j}` }));
          const hit = node('line', { ...at, class: 'hit', 'data-hit': `${l}:${i}:${j}`, tabindex: -1 });
          hit.append(node('title', {}));
          hits.append(hit);
        }
      }
    }
    for (let l = 0; l <= L; l++) {
      for (let i = 0; i < shown(sizes[l]); i++) {
        const circle = node('circle', { cx: x(l), cy: y(l, i), r: 7, class: l === 0 ? 'input' : l === L ? 'output' : 'hidden', 'data-node': `${l}:${i}` });
        const title = node('title', {});
        title.textContent = nodeName(l, i, L, inputs, outputs);
        circle.append(title);
        nodes.append(circle);
      }
      const label = (text: string, ly: number, anchor: string, lx = x(l)) => {
        const t = node('text', { x: lx, y: ly, 'text-anchor': anchor, class: 'diagram-label' });
        t.textContent = text;
        nodes.append(t);
      };
      if (l === 0) for (let i = 0; i < shown(sizes[0]); i++) label(inputs[i] ?? `x${i + 1}`, y(0, i) + 4, 'end', x(0) - 11);
      if (l === L && outputs.length > 1) for (let i = 0; i < shown(sizes[L]); i++) label(outputs[i], y(L, i) + 4, 'start', x(L) + 11);
      if (sizes[l] > MAX_NODES) label(`+${sizes[l] - MAX_NODES}`, y(l, MAX_NODES - 1) + 20, 'middle');
    }
    svg.replaceChildren(edges, hits, nodes);
    attachHover(svg, L, inputs, outputs);
  }
  // The looks follow the weights: per layer, the largest |w| is the widest, most opaque line.
  const lines = svg.querySelectorAll<SVGLineElement>('g.edges line');
  const hits = svg.querySelectorAll<SVGLineElement>('g.hits line');
  let k = 0;
  for (let l = 1; l <= L; l++) {
    const n = sizes[l - 1];
    let max = 1e-9;
    for (let i = 0; i < shown(sizes[l]); i++) for (let j = 0; j < shown(n); j++) max = Math.max(max, Math.abs(W[l][i * n + j]));
    for (let i = 0; i < shown(sizes[l]); i++) {
      for (let j = 0; j < shown(n); j++, k++) {
        const w = W[l][i * n + j];
        const size = Math.abs(w) / max;
        const line = lines[k];
        line.setAttribute('stroke', `rgb(${(w >= 0 ? TILE_HIGH : TILE_LOW).join(',')})`);
        line.setAttribute('stroke-width', (0.5 + 4.5 * size).toFixed(2));
        line.setAttribute('stroke-opacity', (0.25 + 0.75 * size).toFixed(2));
        line.dataset.w = String(w);
        hits[k].querySelector('title')!.textContent = `W[${l}] row ${i + 1}, column ${j + 1} = ${w.toFixed(3)}`;
      }
    }
  }
}

/** Pointing at a weight's line reads it below the diagram; pointing at a hidden unit enlarges its tile. */
function attachHover(svg: SVGSVGElement, L: number, inputs: readonly string[], outputs: readonly string[]): void {
  const readout = byId('diagram-readout');
  svg.onpointerover = (e) => {
    const target = e.target as Element;
    const edge = target.getAttribute('data-hit');
    if (edge) {
      const [l, i, j] = edge.split(':').map(Number);
      const line = svg.querySelector<SVGLineElement>(`line[data-edge="${edge}"]`)!;
      svg.querySelectorAll('line.active').forEach((x) => x.classList.remove('active'));
      line.classList.add('active');
      const w = Number(line.dataset.w);
      readout.textContent = `W[${l}] = ${w >= 0 ? '+' : '−'}${Math.abs(w).toFixed(3)}: from ${nodeName(l - 1, j, L, inputs, outputs)} to ${nodeName(l, i, L, inputs, outputs)}`;
      return;
    }
    const unit = target.getAttribute('data-node');
    if (unit) {
      const [l, i] = unit.split(':').map(Number);
      focusTile(l > 0 && l < L ? l : 0, i);
      readout.textContent = nodeName(l, i, L, inputs, outputs);
    }
  };
  svg.onpointerleave = () => {
    focusTile(0, 0);
    svg.querySelectorAll('line.active').forEach((x) => x.classList.remove('active'));
  };
}

/** Enlarges the tile of unit i of hidden layer l (0: none). */
function focusTile(l: number, i: number): void {
  document.querySelectorAll('.unit.focus').forEach((t) => t.classList.remove('focus'));
  if (l === 0) return;
  const box = l === 1 ? byId('units') : (byId('units-deeper').children[l - 2]?.querySelector('.units') as HTMLElement | null);
  const tile = box?.querySelector<HTMLElement>(`.unit[data-unit="${i}"]`);
  tile?.classList.add('focus');
}

// The MNIST page's drawing pad: strokes with a mouse, pen or finger; the drawing
// made into what the network was trained on (MNIST's own preparation: the ink's
// bounding box scaled to fit 20 × 20, placed in 28 × 28 with its centre of mass
// at the centre, white ink on black as values in [0, 1]); and the network's ten
// probabilities as bars, updated while drawing.
import { el, percent } from './dom.ts';

const SIDE = 28;
const BOX = 20;
/** At most one prediction per this many milliseconds while a stroke goes on. */
const LIVE_MS = 80;

export class DrawingPad {
  private last: { x: number; y: number } | null = null;
  private busy = false;
  private again = false;
  private lastRun = 0;
  private readonly ctx: CanvasRenderingContext2D;

  constructor(
    private readonly pad: HTMLCanvasElement,
    private readonly seen: HTMLCanvasElement,
    private readonly bars: HTMLElement,
    /** (10, 1) probabilities for one example X (784, 1), or null when there is no network yet. */
    private readonly predict: (x: Float32Array) => Promise<Float32Array | null>,
  ) {
    this.ctx = pad.getContext('2d', { willReadFrequently: true })!;
    this.clear();
    pad.addEventListener('pointerdown', (e) => {
      pad.setPointerCapture(e.pointerId);
      this.last = this.point(e);
      this.line(this.last, this.last);
    });
    pad.addEventListener('pointermove', (e) => {
      if (!this.last) return;
      const p = this.point(e);
      this.line(this.last, p);
      this.last = p;
      if (performance.now() - this.lastRun > LIVE_MS) void this.classify();
    });
    for (const end of ['pointerup', 'pointercancel'] as const) {
      pad.addEventListener(end, () => {
        this.last = null;
        void this.classify();
      });
    }
  }

  clear(): void {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.pad.width, this.pad.height);
    // The same attributes as where it is read back: a canvas keeps those of its first getContext.
    this.seen.getContext('2d', { willReadFrequently: true })!.clearRect(0, 0, SIDE, SIDE);
    this.showBars(null, 'Draw a digit in the black square.');
  }

  /** Classifies the drawing now (again after the one in flight, if any). */
  async classify(): Promise<void> {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      do {
        this.again = false;
        this.lastRun = performance.now();
        const x = this.input();
        if (!x) {
          this.showBars(null, 'Draw a digit in the black square.');
          continue;
        }
        const P = await this.predict(x);
        this.showBars(P, 'Train the network first (above); then it reads your digit.');
      } while (this.again);
    } finally {
      this.busy = false;
    }
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const r = this.pad.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * this.pad.width) / r.width, y: ((e.clientY - r.top) * this.pad.height) / r.height };
  }

  private line(a: { x: number; y: number }, b: { x: number; y: number }): void {
    const c = this.ctx;
    c.strokeStyle = '#fff';
    c.lineWidth = this.pad.width / 13;
    c.lineCap = c.lineJoin = 'round';
    c.beginPath();
    c.moveTo(a.x, a.y);
    c.lineTo(b.x, b.y);
    c.stroke();
  }

  /** The drawing as X (784, 1) in MNIST's framing, or null when nothing is drawn. */
  private input(): Float32Array | null {
    const { width, height } = this.pad;
    const ink = this.ctx.getImageData(0, 0, width, height).data;
    let [x0, y0, x1, y1] = [width, height, -1, -1];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (ink[4 * (y * width + x)] > 25) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      }
    }
    if (x1 < 0) return null;
    const [w, h] = [x1 - x0 + 1, y1 - y0 + 1];
    const scale = BOX / Math.max(w, h);
    // The box scaled into 28 × 28 at the top left, then moved so its centre of mass is at the centre.
    const box = new OffscreenCanvas(SIDE, SIDE);
    const b = box.getContext('2d', { willReadFrequently: true })!;
    b.imageSmoothingQuality = 'high';
    b.drawImage(this.pad, x0, y0, w, h, 0, 0, w * scale, h * scale);
    const pixels = b.getImageData(0, 0, SIDE, SIDE).data;
    let [mass, cx, cy] = [0, 0, 0];
    for (let q = 0; q < SIDE * SIDE; q++) {
      const v = pixels[4 * q];
      mass += v;
      cx += v * (q % SIDE);
      cy += v * Math.floor(q / SIDE);
    }
    const seen = this.seen.getContext('2d', { willReadFrequently: true })!;
    seen.fillStyle = '#000';
    seen.fillRect(0, 0, SIDE, SIDE);
    seen.drawImage(box, Math.round(SIDE / 2 - 0.5 - cx / mass), Math.round(SIDE / 2 - 0.5 - cy / mass));
    const framed = seen.getImageData(0, 0, SIDE, SIDE).data;
    return Float32Array.from({ length: SIDE * SIDE }, (_, q) => framed[4 * q] / 255);
  }

  private showBars(P: Float32Array | null, hint: string): void {
    if (!P) {
      this.bars.replaceChildren(el('li', 'hint', hint));
      delete this.bars.dataset.sum;
      return;
    }
    const best = P.indexOf(Math.max(...P));
    this.bars.dataset.sum = String(P.reduce((s, p) => s + p, 0));
    this.bars.dataset.best = String(best);
    this.bars.replaceChildren(...Array.from(P, (p, k) => {
      const li = el('li', k === best ? 'best' : '');
      li.dataset.p = String(p);
      li.style.setProperty('--p', String(p));
      li.append(el('span', 'digit', String(k)), el('span', 'bar'), el('span', 'value', percent(p)));
      li.setAttribute('aria-label', `${k}: ${percent(p)}`);
      return li;
    }));
  }
}

// A small line chart on a 2D canvas for the training curves (cost and accuracy
// against the step). No library: a few series of a few thousand points, redrawn
// a few times a second, are cheap to draw directly.

export interface Series {
  label: string;
  color: string;
  /** Dashed line (e.g. the test curve beside the solid training curve). */
  dash?: boolean;
  /** (x, y) pairs; non-finite y values are skipped. */
  points: readonly { x: number; y: number }[];
}

export interface ChartOptions {
  /** Fixed y range; otherwise from the data (with yMin = 0 when all values are ≥ 0). */
  yMin?: number;
  yMax?: number;
  /** How y tick labels are written, e.g. (v) => `${v * 100}%`. */
  formatY?: (v: number) => string;
  /** How a point's value is written where it is read out (pointsAt; default 4 decimals). */
  formatValue?: (v: number) => string;
  xLabel?: string;
  /** Ticks at whole numbers of x only (epochs): no 0.5. */
  integerX?: boolean;
  /**
   * The highest y shown: values above it (a cost spike) are drawn at the top edge, and the
   * chart says it is clipped and what the peak was, so the rest of the curve stays readable.
   */
  yClip?: number;
  /** Vertical marks at steps where something changed (e.g. "α 0.3"), labelled at the top. */
  markers?: readonly { x: number; label: string }[];
}

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** A step of 1, 2 or 5 × 10^k giving about `count` ticks over span. */
export function niceTickStep(span: number, count: number): number {
  if (!(span > 0)) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * power;
}

/** The x ticks over [0, xMax]: about four, whole numbers only when asked. */
export function xTicks(xMax: number, integer = false): number[] {
  const step = integer ? Math.max(1, Math.round(niceTickStep(xMax, 4))) : niceTickStep(xMax, 4);
  const ticks: number[] = [];
  for (let k = 0; k * step <= xMax + 1e-9; k++) ticks.push(k * step);
  return ticks;
}

/** The y range a chart shows, and the peak it clips (null when nothing is above yClip). */
export function yRange(series: readonly Series[], opts: Pick<ChartOptions, 'yMin' | 'yMax' | 'yClip'>): { yMin: number; yMax: number; clipped: number | null } {
  let yLo = Infinity, yHi = -Infinity;
  for (const s of series) {
    for (const p of s.points) {
      if (!Number.isFinite(p.y)) continue;
      yLo = Math.min(yLo, p.y);
      yHi = Math.max(yHi, p.y);
    }
  }
  if (!Number.isFinite(yLo)) [yLo, yHi] = [0, 1];
  const yMin = opts.yMin ?? (yLo >= 0 ? 0 : yLo);
  const clipped = opts.yMax === undefined && opts.yClip !== undefined && yHi > opts.yClip ? yHi : null;
  let yMax = opts.yMax ?? (clipped !== null ? opts.yClip! : yHi);
  if (!(yMax > yMin)) yMax = yMin + 1;
  return { yMin, yMax, clipped };
}

const compact = (v: number): string =>
  Math.abs(v) >= 1e6 ? `${Number((v / 1e6).toPrecision(3))}M` : Math.abs(v) >= 1e3 ? `${Number((v / 1e3).toPrecision(3))}k` : String(Number(v.toPrecision(3)));

/** What each canvas shows, for reading it back under a pointer (pointsAt). */
const drawn = new WeakMap<object, { series: readonly Series[]; left: number; plotW: number; xMax: number; width: number; format: (v: number) => string }>();

/**
 * What a chart shows at a horizontal position (a fraction of the canvas's width): the
 * x of the nearest point, and each series' point there; null outside the plot area.
 */
export function pointsAt(canvas: HTMLCanvasElement | OffscreenCanvas, fraction: number): { x: number; values: { label: string; y: number; text: string }[] } | null {
  const d = drawn.get(canvas);
  if (!d) return null;
  const px = fraction * d.width;
  // Past the plot's right end (its padding) reads the last step: pointing at "the end" need not hit it to the pixel.
  if (px < d.left || px > d.width) return null;
  const x = (Math.min(px - d.left, d.plotW) / d.plotW) * d.xMax;
  const nearest = (points: readonly { x: number; y: number }[]) =>
    points.reduce<{ x: number; y: number } | null>((best, p) => (Number.isFinite(p.y) && (!best || Math.abs(p.x - x) < Math.abs(best.x - x)) ? p : best), null);
  const first = d.series.map((s) => nearest(s.points)).find((p) => p !== null);
  if (!first) return null;
  const values = d.series.flatMap((s) => {
    const p = s.points.find((q) => q.x === first.x && Number.isFinite(q.y)) ?? null;
    return p ? [{ label: s.label, y: p.y, text: d.format(p.y) }] : [];
  });
  return { x: first.x, values };
}

/** Draws the series on the whole canvas (its pixel size), axes and ticks included. */
export function drawLineChart(canvas: HTMLCanvasElement | OffscreenCanvas, series: readonly Series[], opts: ChartOptions = {}): void {
  const ctx = canvas.getContext('2d') as Context2D | null;
  if (!ctx) return;
  const { width, height } = canvas;
  const scale = Math.max(1, height / 160);
  // The x label has a line of its own under the ticks.
  const pad = { left: 40 * scale, right: 10 * scale, top: 8 * scale, bottom: (opts.xLabel ? 32 : 20) * scale };
  ctx.clearRect(0, 0, width, height);

  let xMax = 1;
  for (const s of series) for (const p of s.points) if (Number.isFinite(p.y)) xMax = Math.max(xMax, p.x);
  const { yMin, yMax, clipped } = yRange(series, opts);
  const plotW = width - pad.left - pad.right, plotH = height - pad.top - pad.bottom;
  const toPx = (x: number) => pad.left + (x / xMax) * plotW;
  drawn.set(canvas, { series, left: pad.left, plotW, xMax, width, format: opts.formatValue ?? ((v) => v.toFixed(4)) });
  const toPy = (y: number) => pad.top + (1 - (Math.min(y, yMax) - yMin) / (yMax - yMin)) * plotH;

  ctx.save();
  ctx.font = `${Math.round(10 * scale)}px system-ui, sans-serif`;
  ctx.fillStyle = '#4b5563';
  ctx.strokeStyle = '#e5e7eb';
  ctx.lineWidth = 1;
  const formatY = opts.formatY ?? compact;
  const yStep = niceTickStep(yMax - yMin, 4);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let y = Math.ceil(yMin / yStep) * yStep; y <= yMax + 1e-9; y += yStep) {
    const py = Math.round(toPy(y)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(pad.left, py);
    ctx.lineTo(width - pad.right, py);
    ctx.stroke();
    ctx.fillText(formatY(y), pad.left - 4 * scale, py);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const x of xTicks(xMax, opts.integerX)) ctx.fillText(compact(x), toPx(x), height - pad.bottom + 4 * scale);
  if (opts.xLabel) {
    ctx.textBaseline = 'bottom';
    ctx.fillText(opts.xLabel, pad.left + plotW / 2, height - 1 * scale);
  }

  ctx.beginPath();
  ctx.rect(pad.left, pad.top, plotW, plotH);
  ctx.clip();
  // Where a setting changed: a thin dotted line and its label, under the curves.
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.strokeStyle = '#6b7280';
  ctx.setLineDash([2 * scale, 3 * scale]);
  for (const m of opts.markers ?? []) {
    if (m.x > xMax) continue;
    const px = Math.round(toPx(m.x)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(px, pad.top);
    ctx.lineTo(px, pad.top + plotH);
    ctx.stroke();
    ctx.fillText(m.label, px + 3 * scale, pad.top + 2 * scale);
  }
  ctx.setLineDash([]);
  ctx.lineWidth = 2 * scale;
  ctx.lineJoin = 'round';
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.setLineDash(s.dash ? [5 * scale, 4 * scale] : []);
    ctx.beginPath();
    let pen = false;
    for (const p of s.points) {
      if (!Number.isFinite(p.y)) {
        pen = false;
        continue;
      }
      if (pen) ctx.lineTo(toPx(p.x), toPy(p.y));
      else ctx.moveTo(toPx(p.x), toPy(p.y));
      pen = true;
    }
    ctx.stroke();
    // Few points (epochs): a dot on each, so that one point is seen too.
    const shown = s.points.filter((p) => Number.isFinite(p.y));
    if (shown.length <= 40) {
      ctx.fillStyle = s.color;
      for (const p of shown) {
        ctx.beginPath();
        ctx.arc(toPx(p.x), toPy(p.y), 2.5 * scale, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
  }
  ctx.setLineDash([]);
  ctx.textBaseline = 'top';
  if (clipped !== null) {
    ctx.fillStyle = '#b91c1c';
    ctx.textAlign = 'left';
    ctx.fillText(`clipped at ${compact(yMax)}: the peak was ${compact(clipped)}`, pad.left + 4 * scale, pad.top + 2 * scale);
  }
  // A legend when there is more than one curve: a short line and the label, top right.
  const named = series.filter((s) => s.points.some((p) => Number.isFinite(p.y)));
  if (named.length > 1) {
    ctx.textAlign = 'right';
    let right = width - pad.right - 4 * scale;
    for (const s of [...named].reverse()) {
      const w = ctx.measureText(s.label).width;
      ctx.fillStyle = '#4b5563';
      ctx.fillText(s.label, right, pad.top + (clipped !== null ? 14 : 2) * scale);
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 2 * scale;
      ctx.setLineDash(s.dash ? [4 * scale, 3 * scale] : []);
      const y = pad.top + (clipped !== null ? 19 : 7) * scale;
      ctx.beginPath();
      ctx.moveTo(right - w - 18 * scale, y);
      ctx.lineTo(right - w - 4 * scale, y);
      ctx.stroke();
      right -= w + 26 * scale;
    }
    ctx.setLineDash([]);
  }
  ctx.restore();
}

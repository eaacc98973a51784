// Training progress on stderr, so stdout stays clean for the summary or --json.
// On a terminal one bar is redrawn in place (\r), at most ~10 times a second; in
// CI logs (not a TTY) a plain line is printed each time another 10% is done, so a
// long run leaves about ten lines instead of thousands of carriage returns.

export interface ProgressState {
  step: number;
  total: number;
  cost: number;
  accuracy: number;
  /** null until two reports are far enough apart to measure a rate. */
  stepsPerSecond: number | null;
}

const BAR_WIDTH = 20;

/** `[██████░░░░] 60% step 6000/10000 cost 0.2351 acc 89.5% 1234 steps/s` */
export function formatProgress(s: ProgressState, width = BAR_WIDTH): string {
  const fraction = s.total > 0 ? Math.min(1, Math.max(0, s.step / s.total)) : 1;
  const filled = Math.round(fraction * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const step = `step ${String(s.step).padStart(String(s.total).length)}/${s.total}`;
  const rate = s.stepsPerSecond === null ? '' : ` ${formatRate(s.stepsPerSecond)} steps/s`;
  // Regression has no accuracy (NaN): the cost says it all.
  const acc = Number.isNaN(s.accuracy) ? '' : ` acc ${(s.accuracy * 100).toFixed(1)}%`;
  return `[${bar}] ${percent} ${step} cost ${s.cost.toFixed(4)}${acc}${rate}`;
}

const formatRate = (r: number): string => (r >= 100 ? Math.round(r).toString() : r.toPrecision(3));

export interface ProgressOptions {
  total: number;
  stream?: NodeJS.WriteStream;
  /** Defaults to the stream's isTTY. */
  tty?: boolean;
  /** Milliseconds clock; injectable for tests. */
  now?: () => number;
}

export class ProgressBar {
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;
  private readonly now: () => number;
  private readonly total: number;
  private start: { step: number; time: number } | null = null;
  private last: ProgressState | null = null;
  private lastDraw = -Infinity;
  private lastDecile = -1;
  private drawn = false;

  constructor(opts: ProgressOptions) {
    this.total = opts.total;
    this.stream = opts.stream ?? process.stderr;
    this.tty = opts.tty ?? Boolean(this.stream.isTTY);
    this.now = opts.now ?? (() => performance.now());
  }

  /** One report from the trainer: the cost and accuracy after `step` steps. */
  update(step: number, cost: number, accuracy: number): void {
    const time = this.now();
    // The rate is measured from the first report (step 0 comes after the
    // pipelines are built), so start-up does not drag it down.
    if (!this.start) this.start = { step, time };
    const elapsed = (time - this.start.time) / 1000;
    const stepsPerSecond = elapsed > 0.05 && step > this.start.step ? (step - this.start.step) / elapsed : null;
    this.last = { step, total: this.total, cost, accuracy, stepsPerSecond };

    if (this.tty) {
      if (time - this.lastDraw < 100 && step < this.total) return;
      this.lastDraw = time;
      this.drawn = true;
      // \x1b[K clears what a longer previous line left behind.
      this.stream.write(`\r${formatProgress(this.last)}\x1b[K`);
    } else {
      const decile = Math.floor((10 * Math.min(step, this.total)) / Math.max(1, this.total));
      if (decile === this.lastDecile) return;
      this.lastDecile = decile;
      this.stream.write(`${formatProgress(this.last)}\n`);
    }
  }

  /** Ends the bar's line so what follows starts on a fresh one. */
  finish(): void {
    if (this.tty && this.drawn) {
      if (this.last) this.stream.write(`\r${formatProgress(this.last)}\x1b[K`);
      this.stream.write('\n');
      this.drawn = false;
    }
  }
}

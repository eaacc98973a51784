// The playground's settings have one writer: this store. Every control, a loaded CSV, an
// imported model and a new run go through it; it writes the settings, then the address,
// then tells the session, then the view (settings → URL → session → view). A live setting
// (learning rate, optimizer, β1, β2, batch size, λ, decay) is recorded at the step the
// session has reached, between two training calls, and is in force from there on; any
// other setting starts a new run.
import { DATASET_DEFAULTS } from '../src/data/datasets.ts';
import type { OptimizerKind } from '../src/types.ts';
import { DEFAULTS, LIVE_KEYS, liveAt, type LiveKey, type Settings } from './state.ts';

/**
 * Each optimizer's usual learning rate: gradient descent and momentum (an average of
 * gradients, so steps of the same size) the course's 1.2, Adam 0.01 (its steps are about α
 * per parameter whatever the gradient's scale: 1.2 throws every weight about).
 */
export const USUAL_RATES: Record<OptimizerKind, number> = { sgd: DEFAULTS.learningRate, momentum: DEFAULTS.learningRate, adam: 0.01 };

/** What the store needs of the session and the page. */
export interface StoreHooks {
  /** Runs `work` between two training calls, with the step reached; resolves with its result. */
  atStep<T>(work: (step: number) => Promise<T>): Promise<T>;
  /** Puts the trainer in line with the settings in force at the step reached (in serial). */
  applyLive(): Promise<void>;
  /** A new run at step 0 from the settings. */
  rebuild(): Promise<void>;
  /** The step reached, and whether training is running (for the address). */
  progress(): { step: number; running: boolean };
  /** Shows the settings in force at the step reached on the controls. */
  show(): void;
  /** Writes the page's address (state.ts writeUrl). */
  url(s: Settings): void;
  /** Draws the pictures again (a view setting changed). */
  redraw?(): Promise<void>;
}

/** Settings of the view alone: changing one starts no run and records no change. */
const VIEW_KEYS: readonly (keyof Settings)[] = ['speed', 'showTest', 'discretize'];

const isLive = (key: keyof Settings): key is LiveKey => (LIVE_KEYS as readonly string[]).includes(key);

export class SettingsStore {
  /** The learning rate the user chose for each optimizer in this run: it comes back with the optimizer. */
  private readonly chosenRates = new Map<OptimizerKind, number>();

  constructor(
    readonly settings: Settings,
    private readonly hooks: StoreHooks,
  ) {}

  /** The settings in force at `step`: the run's recorded changes applied. */
  at(step: number): Settings {
    return { ...this.settings, ...liveAt(this.settings, step) };
  }

  /** The address for the state shown: a running page's link starts the run, a paused one's replays to its step. */
  writeUrl(): void {
    const { step, running } = this.hooks.progress();
    this.hooks.url({ ...this.settings, steps: running ? 0 : step });
  }

  /** One control changed: a live setting is recorded at the step reached; a view setting (speed, test points, discretize) only moves the address and redraws; the rest starts a new run. */
  async set<K extends keyof Settings>(key: K, value: Settings[K]): Promise<void> {
    if (this.settings[key] === value && key !== 'optimizer') return;
    if (key === 'optimizer') return this.switchOptimizer(value as OptimizerKind);
    if (key === 'learningRate') {
      const { step } = this.hooks.progress();
      this.chosenRates.set(this.at(step).optimizer, value as number);
    }
    if (isLive(key)) return this.record({ [key]: value } as Partial<Pick<Settings, LiveKey>>);
    if (VIEW_KEYS.includes(key)) {
      // How the run is shown, not what it computes: the address moves, the run goes on.
      (this.settings as unknown as Record<string, unknown>)[key] = value;
      this.writeUrl();
      // Speed is read by the training loop itself; the picture toggles need a redraw.
      return key === 'speed' ? undefined : this.hooks.redraw?.();
    }
    const patch: Partial<Settings> = { [key]: value };
    if (key === 'dataset' && value !== 'csv') {
      // A generated set starts at its own size and noise, as a link to it does.
      const defaults = DATASET_DEFAULTS[value as keyof typeof DATASET_DEFAULTS];
      Object.assign(patch, { points: defaults.m, noise: defaults.noise });
    }
    return this.newRun(patch);
  }

  /**
   * A new run at step 0 with `patch` applied (a changed setting, a loaded file, an imported
   * network). `keepChanges`: a link's run, replayed with its recorded changes; otherwise the
   * changes in force now become the new run's step-0 settings.
   */
  async newRun(patch: Partial<Settings> = {}, keepChanges = false): Promise<void> {
    const s = this.settings;
    this.chosenRates.clear();
    if (!keepChanges) Object.assign(s, liveAt(s, Infinity), { changes: [] });
    Object.assign(s, patch, { steps: 0 });
    this.hooks.url(s);
    this.hooks.show();
    await this.hooks.rebuild();
  }

  /**
   * Another optimizer, and with it its learning rate: the one the user chose for it in this
   * run, else its usual one (USUAL_RATES). Both are recorded at the same step, so a link
   * replays them together. Returns nothing; the α in force is on the controls.
   */
  private async switchOptimizer(kind: OptimizerKind): Promise<void> {
    const { step } = this.hooks.progress();
    const now = this.at(step);
    if (now.optimizer === kind) return;
    const learningRate = this.chosenRates.get(kind) ?? USUAL_RATES[kind];
    return this.record({ optimizer: kind, ...(learningRate !== now.learningRate ? { learningRate } : {}) });
  }

  /** The run went back to `step` (a rewind): changes recorded after it never happened. */
  rewound(step: number): void {
    this.settings.changes = this.settings.changes.filter((c) => c.step <= step);
    this.writeUrl();
    this.hooks.show();
  }

  /** Live settings, recorded at the exact step reached (later recorded changes of them are dropped), then in force. */
  private async record(patch: Partial<Pick<Settings, LiveKey>>): Promise<void> {
    const keys = Object.keys(patch) as LiveKey[];
    await this.hooks.atStep(async (step) => {
      const s = this.settings;
      const kept = s.changes.filter((c) => c.step < step || (c.step === step && !keys.includes(c.key)));
      if (step === 0) {
        Object.assign(s, patch);
        s.changes = kept;
      } else {
        s.changes = [...kept, ...keys.map((key) => ({ step, key, value: patch[key] as Settings['changes'][number]['value'] }))];
      }
      await this.hooks.applyLive();
    });
    this.writeUrl();
    this.hooks.show();
  }
}

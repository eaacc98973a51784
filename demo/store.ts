// The playground's settings have one writer: this store. Every control, a loaded CSV, an
// imported model and a new run go through it; it writes the settings, then the address,
// then tells the session, then the view (settings → URL → session → view). A live setting
// (learning rate, optimizer, β1, β2, batch size, λ, decay) is recorded at the step the
// session has reached, between two training calls, and is in force from there on; any
// other setting starts a new run.
import { DATASET_DEFAULTS } from '../src/data/datasets.ts';
import { LIVE_KEYS, liveAt, type LiveKey, type Settings } from './state.ts';

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
}

const isLive = (key: keyof Settings): key is LiveKey => (LIVE_KEYS as readonly string[]).includes(key);

export class SettingsStore {
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

  /** One control changed: a live setting is recorded at the step reached; speed only moves the address; the rest starts a new run. */
  async set<K extends keyof Settings>(key: K, value: Settings[K]): Promise<void> {
    if (this.settings[key] === value) return;
    if (isLive(key)) return this.record(key, value as never);
    if (key === 'speed') {
      this.settings.speed = value as Settings['speed'];
      return this.writeUrl();
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
    if (!keepChanges) Object.assign(s, liveAt(s, Infinity), { changes: [] });
    Object.assign(s, patch, { steps: 0 });
    this.hooks.url(s);
    this.hooks.show();
    await this.hooks.rebuild();
  }

  /** A live setting, recorded at the exact step reached (later recorded changes are dropped), then in force. */
  private async record<K extends LiveKey>(key: K, value: Settings[K]): Promise<void> {
    await this.hooks.atStep(async (step) => {
      const s = this.settings;
      const kept = s.changes.filter((c) => c.step < step || (c.step === step && c.key !== key));
      if (step === 0) {
        (s as Pick<Settings, LiveKey>)[key] = value;
        s.changes = kept;
      } else {
        s.changes = [...kept, { step, key, value: value as Settings['changes'][number]['value'] }];
      }
      await this.hooks.applyLive();
    });
    this.writeUrl();
    this.hooks.show();
  }
}

// The playground page: finds WebGPU (or explains plainly why not), builds the
// controls from the URL's settings, and wires them to the training session.
import { requestGpu, type Gpu } from '../src/gpu/device.ts';
import { DeviceLostError, DivergenceError, GpuUnavailableError } from '../src/errors.ts';
import { toModelJson } from '../src/model/model-json.ts';
import { toOnnx } from '../src/model/onnx.ts';
import type { Metrics, Parameters } from '../src/types.ts';
import { Owner } from '../src/gpu/owner.ts';
import { attachChartHover } from './chart-hover.ts';
import { buildControls, showSettings, type OnChange } from './controls.ts';
import { byId, clearMessage, fixed, grouped, percent, setText, showMessage } from './dom.ts';
import { download, MAX_RUN_DATA_BYTES, playgroundRun, readCsvFile, readModelFile, type PlaygroundRun } from './files.ts';
import { dataNames, parseCsvData } from '../src/data/csv.ts';
import { FEATURE_LABELS } from '../src/data/features.ts';
import type { Standardization } from '../src/data/standardize.ts';
import { drawCurves, drawPictures } from './pictures.ts';
import { Session } from './session.ts';
import { LIVE_KEYS, MAX_DEEP_UNITS, MAX_HIDDEN, MAX_LAYERS, settingsFromUrl, settingsToQuery, writeUrl, type Settings } from './state.ts';
import { SettingsStore } from './store.ts';
import { ADAM_LEARNING_RATE, runOptimizers } from './optimizers.ts';
import { runSweep } from './sweep.ts';

type PageState = 'loading' | 'ready' | 'training' | 'sweeping' | 'recovering' | 'no-webgpu' | 'error';
/** For people and tests alike: what the page is doing (body[data-state]). */
const setState = (state: PageState) => (document.body.dataset.state = state);

const { settings, ignored } = settingsFromUrl(location.search);
let csvName: string | null = null;
let sweeping: AbortController | null = null;
/** A device lost more often than this in a minute is not replaced again. */
const MAX_RECOVERIES_PER_MINUTE = 3;

function showNoWebGpu(reason: string): void {
  setState('no-webgpu');
  document.body.classList.add('no-gpu');
  byId('no-webgpu').hidden = false;
  setText('no-webgpu-reason', reason);
  setText('adapter', 'none (WebGPU unavailable)');
}

function describeError(error: unknown): string {
  if (error instanceof DivergenceError) return `${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function updateTrainButton(on: boolean): void {
  const button = byId<HTMLButtonElement>('train');
  button.setAttribute('aria-pressed', String(on));
  button.setAttribute('aria-label', on ? 'Pause' : 'Train');
  button.querySelector<SVGElement>('.icon-play')!.toggleAttribute('hidden', on);
  button.querySelector<SVGElement>('.icon-pause')!.toggleAttribute('hidden', !on);
}

function showMetrics(session: Session): void {
  const last = (points: { y: number }[]) => points[points.length - 1]?.y ?? Number.NaN;
  const { trainCost, trainAcc, testCost, testAcc } = session.curves;
  setText('step-count', grouped(session.stepsDone));
  setText('train-cost', fixed(last(trainCost)));
  setText('test-cost', session.test?.m > 0 ? fixed(last(testCost)) : 'no test set');
  // Regression: R² and RMSE instead of the accuracy.
  const regression = session.task === 'regression';
  const quality = (m: Metrics | null, r2: number) => (regression ? `${fixed(r2, 3)} · RMSE ${fixed(m?.rmse ?? Number.NaN, 3)}` : percent(r2));
  setText('train-acc-label', regression ? 'Training R² · RMSE' : 'Training accuracy');
  setText('test-acc-label', regression ? 'Test R² · RMSE' : 'Test accuracy');
  setText('train-acc', quality(session.latest.train, last(trainAcc)));
  setText('test-acc', session.test?.m > 0 ? quality(session.latest.test, last(testAcc)) : '–');
  // The last measured rate stays on show while paused; a reset clears it.
  const measured = session.stepsPerSecond > 0;
  setText('steps-per-s', measured ? grouped(session.stepsPerSecond) : '–');
  setText('gflops', measured ? session.gflops.toFixed(session.gflops < 1 ? 3 : 2) : '–');
  setText('step-variant', session.trainer?.variant ?? '–');
}

async function main(): Promise<void> {
  setState('loading');
  let gpu: Gpu;
  try {
    gpu = await requestGpu();
  } catch (error) {
    if (error instanceof GpuUnavailableError) return showNoWebGpu(error.message);
    throw error;
  }
  setText('adapter', gpu.adapterName);

  const session = new Session(gpu, () => settings, {
    metrics: showMetrics,
    pictures: (s) => drawPictures(s, settings),
    running: (on) => {
      updateTrainButton(on);
      if (!sweeping && document.body.dataset.state !== 'recovering') setState(on ? 'training' : 'ready');
      // A paused page's address reproduces what it shows: the settings and the step.
      if (!on) {
        store.writeUrl();
        showControls();
      }
    },
    // A lost device is recover()'s to explain; other failures are shown as they are.
    failed: (error) => {
      if (error instanceof DivergenceError) showAdvice(`${describeError(error)} Training is paused.`, session.goodStep());
      else if (!(error instanceof DeviceLostError)) showMessage(describeError(error), 'error');
    },
    trouble: (what, step) => showAdvice(what, step),
  });

  /** A run gone wrong: what happened, in words, and a button back to the step `step` (its last good checkpoint). */
  let rewindStep = 0;
  const showAdvice = (what: string, step: number) => {
    clearMessage();
    rewindStep = step;
    setText('advice-text', what);
    setText('rewind', step > 0 ? `Rewind to step ${grouped(step)}` : 'Rewind to step 0');
    byId('advice').hidden = false;
  };
  const hideAdvice = () => (byId('advice').hidden = true);
  byId('rewind').addEventListener('click', async () => {
    hideAdvice();
    try {
      await session.rewind(rewindStep);
      store.rewound(session.stepsDone);
      showMessage(`Back at step ${grouped(session.stepsDone)}. Lower the learning rate α (or change the network) before training on.`);
    } catch (error) {
      showMessage(describeError(error), 'error');
    }
  });

  /** Recoveries in the last minute: a device lost again and again is not worth chasing. */
  const recoveries: number[] = [];
  // The page never destroys its own device: any loss (a driver reset, a test's destroy()) is recovered from.
  const watch = (lostGpu: Gpu) =>
    lostGpu.device.lost.then(async (info) => {
      if (session.gpu !== lostGpu) return;
      sweeping?.abort();
      const now = performance.now();
      while (recoveries.length > 0 && now - recoveries[0] > 60_000) recoveries.shift();
      const what = `The GPU device was lost (${info.message || info.reason})`;
      if (recoveries.length >= MAX_RECOVERIES_PER_MINUTE) {
        session.pause(false);
        setState('error');
        showMessage(`${what}, ${recoveries.length} times in a minute. Reload the page to start again.`, 'error');
        return;
      }
      recoveries.push(now);
      setState('recovering');
      showMessage(`${what}. Getting a new device…`, 'error');
      try {
        const fresh = await requestGpu();
        setText('adapter', fresh.adapterName);
        watch(fresh);
        const from = await session.recover(fresh);
        setState(session.running ? 'training' : 'ready');
        showMessage(`${what}. A new device took over; the run resumed from the checkpoint at step ${grouped(from)}.`);
      } catch (error) {
        setState('error');
        showMessage(`${what}, and no new device could be had: ${describeError(error)} Reload the page to start again.`, 'error');
      }
    });
  watch(gpu);
  // For the console and for tests: the device the page trains on now, and a promise
  // that resolves when every GPU operation queued so far (a redraw after a pause) is done.
  (globalThis as { playground?: object }).playground = {
    get device() { return session.gpu.device; },
    /** For the soak (cli/soak-playground.ts): what decides the trainer's buffers, and the buffers the library's owners hold beyond the trainer's. */
    get configuration() {
      const t = session.trainer;
      return t ? `${settings.dataset} [${t.sizes}] ${t.optimizer.kind} ${t.batchSize < session.train.m ? 'batches' : 'full'}${t.l2 > 0 ? ' L2' : ''}${t.l1 > 0 ? ' L1' : ''} ${t.variant}` : 'no trainer';
    },
    get strayBuffers() { return Owner.live - (session.trainer?.liveBuffers ?? 0); },
    settled: () => session.serial(async () => undefined),
    /** Trains to step `until` and pauses there (as a link's steps= does). */
    play: (until: number) => session.play(until),
  };

  /** The controls show the settings in force at the step reached (a run's changes applied). */
  const csvShown = () => (csvName && settings.dataset === 'csv' && session.userData ? { name: csvName, regression: session.userData.task === 'regress', n0: session.userData.data.n0 } : null);
  const showControls = () => showSettings(store.at(session.stepsDone), csvShown());

  // Every writer of the settings goes through the store (demo/store.ts): settings → URL → session → view.
  let parametersForRun: Parameters | undefined;
  let standardizationForRun: Standardization | null = null;
  const store = new SettingsStore(settings, {
    atStep: (work) => session.atStep(work),
    applyLive: () => session.applyLive(),
    progress: () => ({ step: session.stepsDone, running: session.running }),
    show: showControls,
    url: writeUrl,
    redraw: () => session.serial(() => drawPictures(session, settings)),
    async rebuild() {
      const [parameters, standardization] = [parametersForRun, standardizationForRun];
      parametersForRun = undefined;
      standardizationForRun = null;
      // A new trainer compiles its kernels: said over the plot, and nothing to train or step meanwhile.
      const controls = ['train', 'step'].map((id) => byId<HTMLButtonElement>(id));
      byId('compiling').hidden = false;
      controls.forEach((b) => (b.disabled = true));
      try {
        await session.rebuild(parameters, standardization);
        showMetrics(session);
      } catch (error) {
        showMessage(describeError(error), 'error');
      } finally {
        byId('compiling').hidden = true;
        if (!sweeping) controls.forEach((b) => (b.disabled = false));
      }
    },
  });
  /** A new run; with `parameters`, from them (an imported model). */
  const newRun = (patch: Partial<Settings> = {}, parameters?: Parameters, keepChanges = false, standardization: Standardization | null = null) => {
    hideAdvice();
    parametersForRun = parameters;
    standardizationForRun = standardization;
    return store.newRun(patch, keepChanges);
  };

  const onChange: OnChange = (key, value) => {
    const live = (LIVE_KEYS as readonly string[]).includes(key);
    if (!live && key !== 'speed' && settings[key] !== value) clearMessage();
    // A live change is marked on the curves at its step.
    void store.set(key, value as never).then(() => live && drawCurves(session), (error) => showMessage(describeError(error), 'error'));
  };
  buildControls(onChange);
  attachChartHover(byId<HTMLCanvasElement>('cost-chart'));
  attachChartHover(byId<HTMLCanvasElement>('acc-chart'));
  showSettings(settings, csvShown());
  setText('sweep-steps', grouped(settings.sweepSteps));

  const toggle = () => (session.running ? session.pause() : session.play());
  const step = () => session.stepOnce().then(() => showMetrics(session), (e) => showMessage(describeError(e), 'error'));
  const reset = () => {
    clearMessage();
    void newRun();
  };
  byId('train').addEventListener('click', toggle);
  byId('step').addEventListener('click', step);
  byId('reset').addEventListener('click', reset);
  document.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement;
    if (e.ctrlKey || e.metaKey || e.altKey || sweeping) return;
    if (target.closest('input, select, textarea, button, a, label')) return;
    if (e.key === ' ') toggle();
    else if (e.key === 's' || e.key === 'S') void step();
    else if (e.key === 'r' || e.key === 'R') reset();
    else return;
    e.preventDefault();
  });

  /** Loads a user's CSV (a file, or a run's data) and starts a run on it with `patch`; returns the line that says what was read. */
  const loadCsv = async (user: NonNullable<Session['userData']>, patch: Partial<Settings> = {}, keepChanges = false): Promise<string> => {
    session.userData = user;
    csvName = user.name;
    await newRun({ dataset: 'csv', ...patch }, undefined, keepChanges);
    const { classNames, task, columns } = user;
    const what = task === 'regress'
      ? `a regression target${columns ? ` (${columns.at(-1)})` : ''}`
      : classNames!.every((n, k) => n === String(k)) ? `${classNames!.length} classes` : `classes ${classNames!.map((n, k) => `${n} (${k})`).join(', ')}`;
    return `Loaded ${user.name}: ${grouped(session.all.m)} examples, ${session.all.n0} features, ${what}.`;
  };
  byId<HTMLInputElement>('csv').addEventListener('change', async (e) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    try {
      showMessage(await loadCsv(await readCsvFile(file)));
    } catch (error) {
      showMessage(describeError(error), 'error');
    }
  });

  const exportAs = (format: 'json' | 'onnx') => async () => {
    try {
      const trainer = session.trainer;
      if (!trainer) return;
      const params = await session.serial(() => trainer.getParameters());
      // A file's names travel with the model (its classes, feature columns and target), and its standardization.
      const names = session.csv ? dataNames(session.csv) : undefined;
      const extras = { head: trainer.head, inputs: session.inputFeatures, standardization: trainer.standardization, names };
      if (format === 'json') download('model.json', `${JSON.stringify(toModelJson(params, trainer.net.hidden, extras), null, 1)}\n`);
      else download('model.onnx', toOnnx(params, trainer.net.hidden, extras), 'application/octet-stream');
      showMessage(`Exported model.${format} (step ${grouped(session.stepsDone)}).`);
    } catch (error) {
      showMessage(describeError(error), 'error');
    }
  };
  byId('export').addEventListener('click', exportAs('json'));
  byId('export-onnx').addEventListener('click', exportAs('onnx'));

  byId<HTMLInputElement>('import').addEventListener('change', async (e) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    try {
      const read = await readModelFile(file);
      if (read.kind === 'run') return await openRun(read.run, file.name);
      const { params, hidden, head, standardization, inputs } = read;
      // What the page trains on its current data: n0 inputs, 1 to MAX_LAYERS hidden layers, and
      // one sigmoid output (two classes), K softmax outputs (K classes) or one linear (regression);
      // standardized inputs only on a file's data (a generated set is drawn in its own units).
      // A model's input features are the page's to compute: from x1 and x2 of 2-feature data.
      const n0 = inputs ? (session.all.n0 === 2 ? inputs.length : -1) : session.all.n0;
      const wants = { head: session.head, outputs: session.sizes.at(-1)! };
      const { sizes } = params;
      const L = sizes.length - 1;
      const fits = sizes[0] === n0 && L >= 1 && L - 1 <= MAX_LAYERS && head === wants.head && sizes[L] === wants.outputs && (!standardization || session.csv !== null)
        && sizes[1] <= MAX_HIDDEN && sizes.slice(2, L).every((n) => n <= MAX_DEEP_UNITS);
      if (!fits) {
        const what = `[${sizes.join(', ')}] with a ${head} output${standardization ? ' and standardized inputs' : ''}`;
        throw new Error(`${file.name}: a network ${what} does not fit this page, which trains [${n0}, hidden layers…, ${wants.outputs}] with ${wants.outputs === 1 ? 'one' : wants.outputs} ${wants.head} output${wants.outputs === 1 ? '' : 's'} on the current data (up to ${MAX_LAYERS} hidden layers${session.csv ? '' : ', inputs not standardized'})`);
      }
      const deeper = sizes.slice(2, L).map((units, k) => ({ units, activation: hidden[k + 1] }));
      const first = L >= 2 ? { hidden: sizes[1], activation: hidden[0] } : { hidden: 0 };
      await newRun({ ...first, deeper, features: inputs ?? ['x1', 'x2'], ...(standardization ? { standardize: true } : {}) }, params, false, standardization);
      const layers = sizes.slice(1, L).map((n, k) => `${n} ${hidden[k]}`).join(', ');
      const what = L === 1 ? 'no hidden layer' : L - 1 === 1 ? `${layers} hidden units` : `hidden layers of ${layers} units`;
      showMessage(`Imported ${file.name}: ${what}${inputs ? `, inputs ${inputs.map((f) => FEATURE_LABELS[f]).join(', ')}` : ''}. The link holds the settings, not these weights.`);
    } catch (error) {
      showMessage(describeError(error), 'error');
    }
  });

  /** A downloaded run opened again: its settings, its file's data when it had one, replayed to its step. */
  const openRun = async (run: PlaygroundRun, name: string) => {
    const { settings: opened, ignored: bad } = settingsFromUrl(run.settings);
    if (bad.length > 0) throw new Error(`${name}: settings out of range: ${bad.join(', ')}`);
    if (run.data) {
      const csv = parseCsvData(run.data.text, run.data.name);
      await loadCsv({ ...csv, name: run.data.name, text: run.data.text }, { ...opened, dataset: 'csv' }, true);
    } else {
      await newRun(opened, undefined, true);
    }
    showMessage(`Opened ${name}${run.data ? ` with ${run.data.name}` : ''}: replaying its run to step ${grouped(run.steps)}…`);
    if (run.steps > 0) session.play(run.steps);
  };

  /** The run as a file: its settings and step, and the user's data when it came from a file (MAX_RUN_DATA_BYTES at most). */
  byId('download-run').addEventListener('click', () => {
    const csv = session.csv;
    if (csv && csv.text.length > MAX_RUN_DATA_BYTES) {
      showMessage(`${csv.name} is ${(csv.text.length / 1e6).toFixed(1)} MB: a run file carries data up to ${MAX_RUN_DATA_BYTES / 1e6} MB. Keep the file, and export the model (model.json) to keep what was learnt.`, 'error');
      return;
    }
    const run = playgroundRun(settingsToQuery({ ...settings, steps: 0 }), session.stepsDone, csv ? { name: csv.name, text: csv.text } : null);
    download('run.json', `${JSON.stringify(run)}\n`);
    showMessage(`Downloaded run.json: the settings${csv ? ` and ${csv.name}'s data` : ''} at step ${grouped(session.stepsDone)}. Import opens it again and replays the run.`);
  });

  byId('copy-link').addEventListener('click', async () => {
    // A file on this computer cannot travel in a link: say so rather than copy a link that opens the flower set.
    if (settings.dataset === 'csv') {
      showMessage(`A link cannot carry your file ${csvName ?? ''}: it stays on this computer. "Download run" saves the settings with the file's data in one run.json, and Import opens it again.`, 'error');
      return;
    }
    const url = new URL(location.href);
    url.search = settingsToQuery({ ...settings, steps: session.stepsDone });
    try {
      await navigator.clipboard.writeText(url.href);
      showMessage(`Link copied: opening it trains the same network to step ${grouped(session.stepsDone)}.`);
    } catch {
      showMessage(`Copy this link: ${url.href}`);
    }
  });

  // The two experiments: training paused, every control that trains or exports disabled,
  // Cancel shown, one at a time on the page's device; `work` reports its own result.
  const busyButtons = ['train', 'step', 'reset', 'sweep-run', 'optimizers-run', 'export', 'export-onnx'].map((id) => byId<HTMLButtonElement>(id));
  const experiment = (runId: string, cancelId: string, work: (signal: AbortSignal) => Promise<void>) => {
    byId(runId).addEventListener('click', async () => {
      session.pause();
      sweeping = new AbortController();
      const signal = sweeping.signal;
      setState('sweeping');
      busyButtons.forEach((b) => (b.disabled = true));
      byId(cancelId).hidden = false;
      try {
        await work(signal);
      } catch (error) {
        showMessage(describeError(error), 'error');
      } finally {
        sweeping = null;
        busyButtons.forEach((b) => (b.disabled = false));
        byId(cancelId).hidden = true;
        setState('ready');
      }
    });
    byId(cancelId).addEventListener('click', () => sweeping?.abort());
  };
  experiment('sweep-run', 'sweep-cancel', async (signal) => {
    const results = await session.serial(() => runSweep(session.gpu.device, settings.sweepSteps, settings.seed, signal));
    if (!signal.aborted) {
      const best = results.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
      showMessage(`Experiment done: best training accuracy ${percent(best.accuracy)} with ${best.hidden} hidden units.`);
    }
  });

  // The optimizers side by side, on the page's network and data (its settings in force now).
  const OPTIMIZER_STEPS = 1000;
  setText('optimizers-steps', grouped(OPTIMIZER_STEPS));
  setText('adam-lr', String(ADAM_LEARNING_RATE));
  attachChartHover(byId<HTMLCanvasElement>('optimizers-chart'));
  experiment('optimizers-run', 'optimizers-cancel', async (signal) => {
    const live = store.at(session.stepsDone);
    const setup = { data: session.trainIn, sizes: session.sizes, activations: session.activations, head: session.head, settings: live, steps: OPTIMIZER_STEPS };
    const runs = await session.serial(() => runOptimizers(session.gpu.device, setup, signal));
    if (!signal.aborted && runs.length > 0) {
      const best = runs.reduce((a, b) => (b.cost < a.cost ? b : a));
      showMessage(`Optimizers compared: the lowest training cost after ${grouped(OPTIMIZER_STEPS)} steps is ${best.kind === 'sgd' ? 'gradient descent' : best.kind}'s (${best.cost.toFixed(4)}).`);
    }
  });

  if (ignored.length > 0) showMessage(`Ignored link settings that are out of range: ${ignored.join(', ')}.`);
  const target = settings.steps;
  await newRun({}, undefined, true);
  setState('ready');
  if (target > 0) {
    showMessage(`Replaying this link's run to step ${grouped(target)}…`);
    session.play(target);
  }
}

main().catch((error) => {
  setState('error');
  showMessage(`The page failed to start: ${describeError(error)}`, 'error');
  console.error(error);
});

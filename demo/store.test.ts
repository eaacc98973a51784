// The playground's one writer of its settings (demo/store.ts), driven as the page drives
// it: the session's side is a step counter and counters of what the store asked for.
import { expect, test } from '@playwright/test';
import { DATASET_DEFAULTS } from '../src/data/datasets.ts';
import { settingsFromUrl, type Settings } from './state.ts';
import { SettingsStore } from './store.ts';

function storeAt(query: string, step: number, running = false) {
  const { settings } = settingsFromUrl(query);
  const seen = { applied: 0, rebuilt: 0, shown: 0, urls: [] as Settings[], step, running };
  const store = new SettingsStore(settings, {
    atStep: (work) => work(seen.step),
    applyLive: async () => void seen.applied++,
    rebuild: async () => void seen.rebuilt++,
    progress: () => ({ step: seen.step, running: seen.running }),
    show: () => void seen.shown++,
    url: (s) => void seen.urls.push({ ...s }),
  });
  return { store, settings, seen };
}

test('a live setting is recorded at the step reached and put in force; the base value stays, the address replays to that step', async () => {
  const { store, settings, seen } = storeAt('?lr=1.2', 120);
  await store.set('learningRate', 0.3);
  expect(settings.learningRate).toBe(1.2);
  expect(settings.changes).toEqual([{ step: 120, key: 'learningRate', value: 0.3 }]);
  expect([seen.applied, seen.rebuilt]).toEqual([1, 0]);
  expect(store.at(119).learningRate).toBe(1.2);
  expect(store.at(120).learningRate).toBe(0.3);
  expect(seen.urls.at(-1)).toMatchObject({ steps: 120, changes: [{ step: 120, key: 'learningRate', value: 0.3 }] });
});

test('at step 0 a live setting becomes the base value; a second change at one step replaces the first, and changes recorded past it are dropped', async () => {
  const zero = storeAt('?lr=1.2', 0);
  await zero.store.set('learningRate', 0.5);
  expect([zero.settings.learningRate, zero.settings.changes]).toEqual([0.5, []]);

  const { store, settings, seen } = storeAt('?lr=1.2&at=100:opt:adam,200:lr:0.1', 150);
  await store.set('learningRate', 0.3);
  await store.set('learningRate', 0.4);
  expect(settings.changes).toEqual([{ step: 100, key: 'optimizer', value: 'adam' }, { step: 150, key: 'learningRate', value: 0.4 }]);
  expect(seen.applied).toBe(2);
});

test('a new data set starts a new run at its own size and noise, with the changes in force folded into its step-0 settings', async () => {
  const { store, settings, seen } = storeAt('?data=flower&m=300&noise=0.3&lr=1.2&at=50:lr:0.2', 80);
  await store.set('dataset', 'moons');
  expect(settings).toMatchObject({ dataset: 'moons', points: DATASET_DEFAULTS.moons.m, noise: DATASET_DEFAULTS.moons.noise, learningRate: 0.2, changes: [], steps: 0 });
  expect([seen.applied, seen.rebuilt]).toEqual([0, 1]);
  expect(seen.urls.at(-1)).toMatchObject({ dataset: 'moons', steps: 0 });
});

test('speed only moves the address; a setting set to its own value does nothing', async () => {
  const { store, settings, seen } = storeAt('?speed=10', 40, true);
  await store.set('speed', 20);
  expect(settings.speed).toBe(20);
  expect(seen.urls.at(-1)).toMatchObject({ speed: 20, steps: 0 });
  await store.set('hidden', settings.hidden);
  await store.set('learningRate', settings.learningRate);
  expect([seen.applied, seen.rebuilt, seen.urls.length]).toEqual([0, 0, 1]);
});

test("a link's run keeps its recorded changes; an imported network's settings start a run of their own", async () => {
  const { store, settings } = storeAt('?hidden=4&at=30:l2:0.1', 0);
  await store.newRun({}, true);
  expect(settings.changes).toEqual([{ step: 30, key: 'l2', value: 0.1 }]);
  await store.newRun({ hidden: 6, activation: 'relu', deeper: [{ units: 3, activation: 'tanh' }] });
  expect(settings).toMatchObject({ hidden: 6, activation: 'relu', deeper: [{ units: 3, activation: 'tanh' }], l2: 0.1, changes: [] });
});

test('the learning rate follows the optimizer: Adam at its usual 0.01 when switched to, recorded at the same step; an α chosen for an optimizer comes back with it', async () => {
  const { store, settings } = storeAt('?lr=1.2', 300);
  await store.set('optimizer', 'adam');
  expect(settings.changes).toEqual([{ step: 300, key: 'optimizer', value: 'adam' }, { step: 300, key: 'learningRate', value: 0.01 }]);
  expect(store.at(300)).toMatchObject({ optimizer: 'adam', learningRate: 0.01 });
  // The user picks 0.003 for Adam, goes back to gradient descent (its usual 1.2), then to Adam again (0.003).
  await store.set('learningRate', 0.003);
  const back = storeAt('?lr=1.2', 300);
  await back.store.set('optimizer', 'adam');
  await back.store.set('learningRate', 0.003);
  back.seen.step = 400;
  await back.store.set('optimizer', 'sgd');
  expect(back.store.at(400)).toMatchObject({ optimizer: 'sgd', learningRate: 1.2 });
  back.seen.step = 500;
  await back.store.set('optimizer', 'adam');
  expect(back.store.at(500)).toMatchObject({ optimizer: 'adam', learningRate: 0.003 });
  // At step 0 both become the base values; the same optimizer again changes nothing.
  const zero = storeAt('?lr=1.2', 0);
  await zero.store.set('optimizer', 'adam');
  expect([zero.settings.optimizer, zero.settings.learningRate, zero.settings.changes]).toEqual(['adam', 0.01, []]);
  await zero.store.set('optimizer', 'adam');
  expect(zero.seen.applied).toBe(1);
});

test('view settings (test points, discretize, speed) move the address and redraw, and start no run; a regenerated data seed starts one', async () => {
  const { settings } = settingsFromUrl('?showtest=0&discrete=1&dseed=42');
  expect([settings.showTest, settings.discretize, settings.dataSeed]).toEqual([false, true, 42]);
  const { store, seen } = storeAt('', 200, true);
  let redrawn = 0;
  (store as unknown as { hooks: { redraw(): Promise<void> } }).hooks.redraw = async () => void redrawn++;
  await store.set('discretize', true);
  await store.set('showTest', false);
  expect([seen.rebuilt, seen.applied, redrawn]).toEqual([0, 0, 2]);
  expect(seen.urls.at(-1)).toMatchObject({ discretize: true, showTest: false });
  await store.set('dataSeed', 7);
  expect([seen.rebuilt, store.settings.dataSeed]).toEqual([1, 7]);
});

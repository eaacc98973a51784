// What `npm run train` prints and writes besides the model: the confusion matrix
// as text, the history's CSV with the test set's columns when it has them.
import { expect, test } from '@playwright/test';
import { confusionText, historyCsv } from './output.ts';

test('the confusion matrix reads as a table: actual classes by row, predicted by column, long names cut to 12 characters', () => {
  expect(confusionText(['B', 'M'], [[105, 1], [0, 134]])).toEqual([
    'actual \\ predicted     B    M',
    'B                    105    1',
    'M                      0  134',
  ]);
  const long = confusionText(['Iris-versicolor', 'x'], [[1, 0], [0, 1]]);
  expect(long[0]).toContain('Iris-versic…');
  expect(long.every((line) => line.length === long[0].length)).toBe(true);
});

test('history.csv has the test columns only when a point has them, empty where a point was not tested', () => {
  expect(historyCsv([{ step: 0, cost: 0.5, accuracy: 0.25 }])).toBe('step,cost,accuracy\n0,0.5,0.25\n');
  expect(historyCsv([
    { step: 0, cost: 0.5, accuracy: 0.25, testCost: 0.6, testAccuracy: 0.2 },
    { step: 5, cost: 0.4, accuracy: 0.5 },
  ])).toBe('step,cost,accuracy,testCost,testAccuracy\n0,0.5,0.25,0.6,0.2\n5,0.4,0.5,,\n');
  expect(historyCsv([{ step: 0, cost: 2, accuracy: NaN, testCost: 3, testRmse: 1.5, testR2: 0.1 }]).split('\n')[0]).toBe('step,cost,accuracy,testCost,testRmse,testR2');
});

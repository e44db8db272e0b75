import assert from 'node:assert/strict';
import { test } from 'node:test';
import { settingSpecs } from '../../main/engine/people/settings';
import { LIKENESS_BANDS, likenessOf } from '../../main/engine/search/likeness';
import { DEFAULT_THRESHOLD } from '../../main/engine/search/search-service';

test('likeness bands: words cut at the thresholds the app uses elsewhere', () => {
  const grouping = settingSpecs.find((s) => s.key === 'groupingThreshold')!.default;
  assert.equal(LIKENESS_BANDS.possible, grouping, 'possible starts where grouping puts faces together');
  assert.equal(LIKENESS_BANDS.probable, DEFAULT_THRESHOLD, 'probable starts at the search threshold');
  assert.deepEqual([0.9, 0.56, 0.55, 0.4, 0.39, 0.3, 0.29, -0.2].map(likenessOf), [
    'likely',
    'likely',
    'probable',
    'probable',
    'possible',
    'possible',
    'unlikely',
    'unlikely',
  ]);
});

/** Where a square thumbnail is cut ([Note: thumbnail crop]): around the faces, else a portrait's top. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { squareAround, thumbFocus } from '../../main/engine/library/thumb-crop';

test('the square is centred on the faces, and never leaves the photo', () => {
  // A 1000×2000 portrait with a face low down: the square follows it.
  const low = thumbFocus(1000, 2000, [{ x: 400, y: 1200, w: 200, h: 200 }]);
  assert.deepEqual(squareAround(low, 1000, 2000), { left: 0, top: 800, side: 1000 });
  // A face at the very top: the square stops at the photo's edge.
  const top = thumbFocus(1000, 2000, [{ x: 400, y: 20, w: 200, h: 200 }]);
  assert.deepEqual(squareAround(top, 1000, 2000), { left: 0, top: 0, side: 1000 });
  // Two faces in a landscape: centred between them.
  const two = thumbFocus(3000, 1000, [
    { x: 1000, y: 400, w: 200, h: 200 },
    { x: 1800, y: 400, w: 200, h: 200 },
  ]);
  assert.deepEqual(squareAround(two, 3000, 1000), { left: 1000, top: 0, side: 1000 });
});

test('without faces a portrait keeps its top and a landscape its middle', () => {
  assert.equal(thumbFocus(600, 1800, []), null);
  // Not analysed yet: no size, no faces.
  assert.equal(thumbFocus(null, null, []), null);
  // A full-length portrait (1:3): the square starts a tenth of the way down what does not fit.
  assert.deepEqual(squareAround(null, 600, 1800), { left: 0, top: 120, side: 600 });
  assert.deepEqual(squareAround(null, 1800, 600), { left: 600, top: 0, side: 600 });
});

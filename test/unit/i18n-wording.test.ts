/**
 * Words the whole UI shares: a percent is never written into a message (each is a placeholder the one
 * formatter, i18n.percent, fills: "99 %" sat beside "99.8%"); Korean calls the People view and the people
 * in it 인물, as the navigation does ("사람 화면" in one message, "인물" in the nav); every execution provider
 * the engine may report is worded for a user in both languages (Settings said "Runs on: cpu").
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXECUTION_PROVIDERS } from '../../main/engine/vision/onnx-session';
import { en } from '../../renderer/src/lib/i18n/en';
import { ko } from '../../renderer/src/lib/i18n/ko';

type Catalog = Record<string, string | { one: string; other: string }>;
const texts = (c: Catalog) =>
  Object.entries(c).flatMap(([key, m]) =>
    typeof m === 'string'
      ? [[key, m]]
      : [
          [key, m.one],
          [key, m.other],
        ],
  );

test('no message writes a percent itself: the number and its sign come from i18n.percent', () => {
  for (const [name, catalog] of [
    ['en', en],
    ['ko', ko],
  ] as const) {
    for (const [key, text] of texts(catalog)) {
      assert.doesNotMatch(text!, /\d\s*%/, `${name} ${key}: a percent written by hand`);
    }
  }
});

test('Korean names a view as the navigation does, and the People view and its people 인물', () => {
  const views = new Set(
    Object.entries(ko)
      .filter(([key]) => key.startsWith('nav.') && key !== 'nav.label')
      .map(([, v]) => v as string),
  );
  assert.ok(views.has('인물'));
  for (const [key, text] of texts(ko)) {
    for (const m of text!.matchAll(/(\S+) 화면/g)) {
      assert.ok(views.has(m[1]!), `ko ${key}: “${m[0]}” names no view of the navigation`);
    }
  }
  // Messages about a person the user named (the People view's people) say 인물, never 사람.
  for (const key of [
    'err.noPerson',
    'err.personGone',
    'err.nameTaken',
    'person.nameTaken',
    'search.noPersonPick',
    'search.noPersonClear',
    'search.chosen',
    'search.namesLabel',
    'people.namedEmptyHint',
  ] as const) {
    const text = ko[key] as string;
    assert.match(text, /인물/, `ko ${key}`);
    assert.doesNotMatch(text, /사람/, `ko ${key}`);
  }
});

test('every execution provider is worded for a user in English and Korean', () => {
  for (const p of EXECUTION_PROVIDERS) {
    const key = `settings.provider.${p}`;
    for (const [name, catalog] of [
      ['en', en],
      ['ko', ko],
    ] as const) {
      const text = (catalog as Catalog)[key];
      assert.equal(typeof text, 'string', `${name} has no wording for ${key}`);
      assert.notEqual((text as string).trim().toLowerCase(), p, `${name} ${key} is the raw id`);
    }
  }
});

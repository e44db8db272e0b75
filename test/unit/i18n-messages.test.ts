/**
 * [Note: worded messages] Every message key the engine can send is worded by the renderer in English and
 * Korean, with the same placeholders, and no worded message shows an internal id. Keys are found in the
 * engine's sources (edit-messages.ts and every `key: '…'` a UserError carries), so a new key without a
 * wording fails here rather than showing English (or a raw key) to a Korean user.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FAILURE_REASONS } from '../../main/engine/library/failure-reason';
import { MESSAGE_KEYS } from '../../main/engine/people/edit-messages';
import { enMessages } from '../../renderer/src/lib/i18n/en-messages';
import { koMessages } from '../../renderer/src/lib/i18n/ko-messages';
import { repoRoot } from '../support/paths';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const placeholders = (m: string | { one: string; other: string }) =>
  [...new Set((typeof m === 'string' ? m : `${m.one} ${m.other}`).match(/\{\w+\}/g) ?? [])].sort();

test('every engine message key is worded in English and Korean with the same placeholders', () => {
  const inline = sources(path.join(repoRoot, 'main')).flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/(?:key: |say\()'((?:err|edit|job|labels|xmp)\.[\w.-]+)'/g)].map(
      (m) => m[1]!,
    ),
  );
  const decode = FAILURE_REASONS.map((r) => `err.decode.${r}`);
  const keys = new Set([...MESSAGE_KEYS, ...inline, ...decode]);
  assert.ok(keys.size > 30, `found ${keys.size} keys`);
  const en = enMessages as Record<string, string | { one: string; other: string }>;
  const ko = koMessages as Record<string, string | { one: string; other: string }>;
  for (const key of keys) {
    assert.ok(Object.hasOwn(en, key), `no English wording for ${key}`);
    assert.ok(Object.hasOwn(ko, key), `no Korean wording for ${key}`);
    assert.deepEqual(placeholders(ko[key]!), placeholders(en[key]!), `placeholders of ${key}`);
    assert.doesNotMatch(JSON.stringify(en[key]), /\{(id|faceId|photoId|group)\}/, `${key} names an id`);
  }
});

test('training and upload refusals carry a message key, not only English', async (t) => {
  const { openEngine } = await import('../../main/engine/engine');
  const { storeUpload } = await import('../../main/engine/library/uploads');
  const { tempDir } = await import('../support/temp');
  const dir = tempDir(t);
  const engine = openEngine({ dbPath: path.join(dir, 'catalog.db') });
  t.after(() => engine.close());
  await assert.rejects(engine.api['head.train']({}), (err: { say?: { key: string } }) => {
    assert.equal(err.say?.key, 'err.train.twoPeople');
    return true;
  });
  const huge = Buffer.alloc(31 * 1024 * 1024, 0xff).toString('base64');
  await assert.rejects(storeUpload(dir, huge), (err: { say?: { key: string; params: object } }) => {
    assert.deepEqual(err.say, { key: 'err.upload.tooLarge', params: { mb: 30 } });
    return true;
  });
});

test('Korean particles after a name read right whether the name ends in a vowel or a consonant', async () => {
  // "{name}이라는" is right after 민호 (a consonant) but wrong after 수지; the forms that fit both are
  // spelled with the other in brackets: (이)라는, 이(가), 을(를), 은(는), 과(와), (으)로.
  const { ko } = await import('../../renderer/src/lib/i18n/ko');
  const oneForm =
    /\{(name|from|to|into|path|taken|person|other)\}[”"']?(이라는|이라고|이라|이가|이 |을|를|은|는|과|와|으로|로|가 )(?!\()/u;
  const wrong = Object.entries(ko as Record<string, string | { one: string; other: string }>).filter(
    ([, m]) => oneForm.test(typeof m === 'string' ? m : `${m.one} ${m.other}`),
  );
  assert.deepEqual(wrong, []);
});

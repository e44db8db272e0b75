/**
 * [Note: paths the API may touch] over web mode: a path is an upload this server stored, a library file,
 * or (adding a folder) a confirmed and logged user action; a refused path gets one answer whether or not it
 * exists, and no error message quotes a file's bytes.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openEngine } from '../../main/engine/engine';
import { startServer } from '../../main/server/server';
import { face } from '../support/paths';
import { tempDir } from '../support/temp';

test('web mode: paths outside uploads and the library are refused without revealing anything', async (t) => {
  const dir = tempDir(t);
  const lib = path.join(dir, 'library');
  const outside = path.join(dir, 'outside');
  mkdirSync(path.join(lib, 'Alice'), { recursive: true });
  mkdirSync(outside);
  const secret = path.join(outside, 'secret.txt');
  writeFileSync(secret, 'root:*:19000:0:99999:7:::');
  symlinkSync(secret, path.join(lib, 'link.jpg'));
  const home = path.join(dir, 'home');
  const engine = openEngine({ dbPath: path.join(home, 'catalog.db'), pathTrust: 'ui' });
  const server = await startServer({
    api: engine.api,
    home,
    port: 0,
    dist: dir,
    receiveUpload: engine.receiveUpload,
  });
  t.after(async () => {
    await server.close();
    await engine.close();
  });
  const call = async (name: string, body: unknown) => {
    const res = await fetch(`${server.origin}/api/${name}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Cookie: `visage_token_${server.port}=${server.token}`,
        Origin: server.origin,
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  };

  const noConfirm = await call('library.addFolder', { path: lib, index: false });
  assert.equal(noConfirm.status, 400);
  assert.match(noConfirm.text, /confirmed/);
  assert.equal((await call('library.addFolder', { path: lib, index: false, confirmed: true })).status, 200);
  assert.match(readFileSync(path.join(home, 'access.log'), 'utf8'), /library\.addFolder.*library/);

  const exists = await call('search.byImage', { path: secret });
  const gone = await call('search.byImage', { path: path.join(outside, 'nope.jpg') });
  const viaLink = await call('search.byImage', { path: path.join(lib, 'link.jpg') });
  for (const r of [exists, gone, viaLink]) {
    assert.equal(r.status, 400);
    assert.doesNotMatch(r.text, /726f6f74|root:/, 'never the file bytes');
  }
  assert.equal(exists.text, gone.text, 'the same answer whether the file exists or not');
  assert.equal(viaLink.text, exists.text, 'a link out of the library is judged by its target');

  for (const [name, body] of [
    ['people.labelFromFolders', { root: outside }],
    ['head.eval', { root: outside }],
    ['head.eval', { root: '/' }],
  ] as const) {
    const r = await call(name, body);
    assert.equal(r.status, 400, `${name} ${JSON.stringify(body)}`);
    assert.match(r.text, /inside your library/);
  }
  // Inside the library, the same request goes through (and finds nothing indexed there yet).
  const inLib = await call('people.labelFromFolders', { root: lib });
  assert.equal(inLib.status, 200, inLib.text);

  // An upload made through this server (web mode streams the raw bytes) may be searched with.
  const bytes = readFileSync(face('face_recognition/examples/obama.jpg'));
  const asJson = await call('app.uploadImage', { name: 'q.jpg', data: bytes.toString('base64') });
  assert.equal(asJson.status, 400, 'web mode takes no base64 uploads');
  const up = await fetch(`${server.origin}/upload`, {
    method: 'POST',
    headers: { Cookie: `visage_token_${server.port}=${server.token}`, Origin: server.origin },
    body: bytes,
  });
  const upText = await up.text();
  assert.equal(up.status, 200, upText);
  const uploaded = (JSON.parse(upText) as { path: string }).path;
  const search = await call('search.byImage', { path: uploaded });
  assert.notEqual(search.status, 500);
  assert.doesNotMatch(search.text, /not one you uploaded/);
  // The desktop app's way (base64 over IPC, here the engine's client): stored and usable the same way.
  const viaIpc = await engine.api['app.uploadImage']({ name: 'q.jpg', data: bytes.toString('base64') });
  const again = await call('search.byImage', { path: viaIpc.path });
  assert.doesNotMatch(again.text, /not one you uploaded/);
});

test('a file that is not an image is reported without quoting its bytes (CLI trust too)', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'shadow.jpg');
  writeFileSync(file, 'root:*:19000:0:99999:7:::');
  copyFileSync(file, path.join(dir, 'copy.jpg'));
  const engine = openEngine({ dbPath: path.join(dir, 'catalog.db') });
  t.after(() => engine.close());
  await assert.rejects(engine.api['search.byImage']({ path: file }), (err: Error) => {
    assert.match(err.message, /not a recognised image format/);
    assert.doesNotMatch(err.message, /726f6f74|root/);
    return true;
  });
});

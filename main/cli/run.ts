// The `visage` command as a program: the entry the build bundles into dist/app/cli.js (bin.mjs runs the
// same main() from the TypeScript sources through tsx).
import { main } from './main';

process.exitCode = await main(process.argv.slice(2));

// Electron's entry when run from the sources (`npm start`): TypeScript runs through tsx, as in the CLI.
// The packaged app starts the compiled bundle dist/app/main.js instead ([Note: packaged layout] in
// electron.config.ts).
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');

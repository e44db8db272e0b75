// Electron's entry (package "main" when packaged, the argument `npm start` passes to electron): TypeScript
// runs through tsx, as in the CLI, so the app and the CLI execute the same sources.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');

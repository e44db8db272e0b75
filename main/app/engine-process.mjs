// Entry of the engine utility process: TypeScript runs through tsx, exactly as the `visage` CLI does.
import { register } from 'tsx/esm/api';

register();
await import('./engine-process.ts');

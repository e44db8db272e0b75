// Entry of a worker thread whose real module is TypeScript (development, `npx visage`, tests): Node 20
// ignores `--import tsx` in a Worker's execArgv, so the worker registers tsx itself, then loads the module.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.visageEntry);

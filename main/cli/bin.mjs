#!/usr/bin/env node
// The `visage` command. TypeScript runs through tsx so `npx visage` works straight after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));

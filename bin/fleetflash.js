#!/usr/bin/env node
// Thin launcher so `npx fleetflash …` works after `npm run build`.
import('../dist/src/main.js');

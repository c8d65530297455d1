#!/usr/bin/env node
// Rewrites the generated option tables of docs/configuration.md from the
// option table (edge/config/schema.ts). Run after `npm run build:ts`.
import { readFileSync, writeFileSync } from 'node:fs';
import { updateConfigReference } from '../dist/edge/config/config-reference.js';

const file = new URL('../docs/configuration.md', import.meta.url);
writeFileSync(file, updateConfigReference(readFileSync(file, 'utf8')));
console.log('docs/configuration.md: reference regenerated');

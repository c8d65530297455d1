#!/usr/bin/env node
// Writes the payload golden vectors test/fixtures/payloads/<name>.msgpack from
// the fixed inputs in test/helpers/payload-inputs.ts (run `npm run build:ts` first).
// Only rewrite them for an intended format change: the bytes are pinned.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { goldenPayloads } from '../dist/test/helpers/payload-inputs.js';

const dir = fileURLToPath(new URL('../test/fixtures/payloads/', import.meta.url));
mkdirSync(dir, { recursive: true });
for (const [name, bytes] of Object.entries(goldenPayloads())) {
  writeFileSync(`${dir}${name}.msgpack`, bytes);
  console.log(`${name}.msgpack  ${bytes.length} bytes`);
}

// Runs the ks2samp benchmark alone: node dist/bench/ks-main.js
import { runKsBench } from './ks.js';

const table = await runKsBench((line) => process.stderr.write(`${line}\n`));
const columns = Object.keys(table.rows[0] ?? {});
const lines = [`### ${table.title}`, '', `| ${columns.join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`];
for (const row of table.rows) lines.push(`| ${columns.map((c) => String(row[c])).join(' | ')} |`);
process.stdout.write(lines.join('\n') + '\n');

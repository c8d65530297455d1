// run --help and docs/configuration.md are generated from the schema: every
// option appears with its default, variable and config key; formatConfig
// masks passwords and writes a file that loads back to the same config.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { renderRunHelp, formatConfig, loadAgentConfig } from '../edge/config/index.js';
import { renderConfigReference } from '../edge/config/config-reference.js';
import { AGENT_OPTIONS, CAMERA_OPTIONS, showDefault, type AnyOption } from '../edge/config/schema.js';
import { repoPath } from './helpers/paths.js';

const options = (): [AnyOption, string][] => [
  ...(Object.values(CAMERA_OPTIONS) as AnyOption[]).map((s): [AnyOption, string] => [s, `cameras[].${s.key}`]),
  ...(Object.values(AGENT_OPTIONS) as AnyOption[]).map((s): [AnyOption, string] => [s, s.key]),
];

const Help = suite('run --help');

Help('every option with its flag, default, variable and config key', () => {
  // Wrapped lines are joined back so that a fact split over two lines is found.
  const help = renderRunHelp();
  const flat = help.replace(/\n\s+/g, ' ');
  for (const [spec, key] of options()) {
    assert.ok(flat.includes(`${spec.flag} ${spec.valueName}`.trim()), spec.flag);
    assert.ok(flat.includes(`[default ${showDefault(spec)}; env ${spec.env}; config ${key}]`), `${spec.flag}: default, env and key`);
  }
  assert.ok(flat.includes('--config <file>') && flat.includes('env DRIFTWATCH_CONFIG'));
  assert.ok(flat.includes('--no-stdout'));
});

Help('usage, exit codes, the truth about MQTT, and 80 columns', () => {
  const help = renderRunHelp();
  assert.ok(help.startsWith('Usage: driftwatch run '));
  assert.match(help, /\n  0  clean shutdown on SIGTERM or SIGINT\n  1  a runtime failure\n  2  bad configuration/);
  assert.match(help.replace(/\n\s+/g, ' '), 'Summaries, alerts, state and birth go there');
  assert.match(help.replace(/\n\s+/g, ' '), 'never a flag');
  for (const line of help.split('\n')) assert.ok(line.length <= 80, `too long: ${line}`);
});

Help('docs/configuration.md holds the generated reference, unchanged', () => {
  const doc = readFileSync(repoPath('docs/configuration.md'), 'utf8');
  assert.ok(doc.includes(renderConfigReference()), 'run: npm run build:ts && node scripts/config-reference.mjs');
  for (const [spec, key] of options()) assert.ok(doc.includes(`| \`${key}\` |`), key);
});

const Format = suite('formatConfig');

const ARGV = ['--device', 'box-1', '--source', 'proxy:http://10.0.0.5:3000/predict', '--baseline', '/b/cam.dwb',
  '--mqtt', 'mqtt://user:s3cret@broker:1883', '--queue-max-bytes', '2MiB', '--listen', '[::1]:0'];

Format('passwords in URLs are masked; origins are comments', () => {
  const config = loadAgentConfig({ argv: ARGV, env: { DRIFTWATCH_WINDOW: '600' }, cwd: '/w', fileExists: () => true });
  const text = formatConfig(config);
  assert.not.match(text, 's3cret');
  assert.match(text, 'mqtt: mqtt://user:***@broker:1883 # --mqtt');
  assert.match(text, 'source: proxy:http://10.0.0.5:3000/predict # --source');
  assert.match(text, 'window: 600 # DRIFTWATCH_WINDOW');
  assert.match(text, 'checkEvery: 25 # default');
  // The configuration itself keeps the real URL: the agent needs it.
  assert.is(config.sinks.mqtt, 'mqtt://user:s3cret@broker:1883');
});

Format('a proxy upstream with credentials is refused, and the refusal does not repeat the password', () => {
  try {
    loadAgentConfig({ argv: ['--device', 'box-1', '--source', 'proxy:http://svc:pw2@10.0.0.5:3000/predict', '--baseline', '/b/cam.dwb'], env: {}, cwd: '/w', fileExists: () => true });
    assert.unreachable('credentials in the upstream URL must be refused');
  } catch (error) {
    assert.match((error as Error).message, /--source: .*upstream URL must not carry credentials/);
    assert.not.match((error as Error).message, 'pw2');
  }
});

Format('its output, as a config file, loads back to the same configuration', () => {
  const argv = ['--device', 'box-1', '--source', 'dir:/frames', '--baseline', '/b/cam.dwb', '--queue-max-bytes', '3KiB', '--listen', '[::1]:0',
    '--model-version', '7', '--no-stdout', '--mqtt', 'mqtts://broker:8883', '--decode-scale', '4', '--false-alarm-days', '7.5'];
  const first = loadAgentConfig({ argv, env: {}, cwd: '/w', fileExists: () => true });
  const text = formatConfig(first);
  assert.type(parseYaml(text), 'object');
  const again = loadAgentConfig({ argv: ['--config', '/etc/again.yaml'], env: {}, cwd: '/elsewhere', readFile: () => text, fileExists: () => true });
  assert.equal({ ...again, configFile: null, origins: {} }, { ...first, origins: {} });
});

Help.run();
Format.run();

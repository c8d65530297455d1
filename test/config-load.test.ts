// loadAgentConfig: precedence, paths, and an error for every bad value that
// names the key and where it came from.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { resolve } from 'node:path';
import { loadAgentConfig, ConfigError, runHelpRequested, type LoadConfigInput } from '../edge/config/index.js';

const CWD = '/srv/agent';
const ONE_CAMERA = ['--device', 'box-1', '--source', 'dir:frames', '--baseline', 'cam.dwb'];

function load(input: Partial<LoadConfigInput> & { files?: Record<string, string> }) {
  const files = input.files ?? {};
  return loadAgentConfig({
    argv: input.argv ?? [],
    env: input.env ?? {},
    cwd: CWD,
    readFile: (path) => {
      if (!(path in files)) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      return files[path];
    },
    fileExists: input.fileExists ?? (() => true),
  });
}

function problemsOf(input: Parameters<typeof load>[0]): string[] {
  try {
    load(input);
  } catch (error) {
    assert.instance(error, ConfigError);
    return (error as ConfigError).message.split('\n');
  }
  throw new assert.Assertion({ message: 'expected a ConfigError' } as never);
}

const TWO_CAMERAS = `device: box-7
cameras:
  - id: front
    source: dir:frames/front
    baseline: baselines/front.dwb
    modelVersion: "2.1"
  - id: back
    source: proxy:http://127.0.0.1:3000/predict
    baseline: /data/back.dwb
    fps: 5
checkEvery: 50
queue:
  maxBytes: 8MiB
sinks:
  mqtt: mqtts://agent:pw@broker.example:8883
`;

const Load = suite('loadAgentConfig');

Load('flags alone configure one camera; every other option takes its default', () => {
  const config = load({ argv: ONE_CAMERA });
  assert.equal(config.device, 'box-1');
  assert.equal(config.cameras, [{ id: 'cam0', source: { kind: 'dir', path: '/srv/agent/frames', after: { mode: 'keep' }, camera: 'cam0' }, baseline: '/srv/agent/cam.dwb', modelVersion: null, fps: 10 }]);
  assert.is(config.checkEvery, 25);
  assert.is(config.window, 300);
  assert.equal(config.falseAlarm, { perDays: 30, fps: 10 });
  assert.is(config.decodeScale, 1);
  assert.is(config.stateDir, '/srv/agent/driftwatch-state');
  assert.is(config.checkpointIntervalS, 60);
  assert.equal(config.listen, { host: '127.0.0.1', port: 9464 });
  assert.equal(config.queue, { maxFrames: 32, maxBytes: 64 * 1024 * 1024 });
  assert.equal(config.log, { level: 'info' });
  assert.equal(config.sinks, { stdout: true, mqtt: null });
  assert.is(config.configFile, null);
  assert.is(config.origins.device, '--device');
  assert.is(config.origins.checkEvery, 'default');
});

Load('a flag beats a variable, a variable beats the file, the file beats the default', () => {
  const files = { '/etc/dw/driftwatch.yaml': TWO_CAMERAS.replace('checkEvery: 50', 'checkEvery: 50\nwindow: 400\ncheckpointIntervalS: 30') };
  const config = load({
    argv: ['--config', '/etc/dw/driftwatch.yaml', '--check-every', '10'],
    env: { DRIFTWATCH_CHECK_EVERY: '20', DRIFTWATCH_WINDOW: '500' },
    files,
  });
  assert.is(config.checkEvery, 10);
  assert.is(config.window, 500);
  assert.is(config.checkpointIntervalS, 30);
  assert.is(config.decodeScale, 1);
  assert.equal([config.origins.checkEvery, config.origins.window, config.origins.checkpointIntervalS, config.origins.decodeScale],
    ['--check-every', 'DRIFTWATCH_WINDOW', '/etc/dw/driftwatch.yaml', 'default']);
});

Load("a YAML file's paths are relative to its folder; the same file in JSON loads the same", () => {
  const json = JSON.stringify({
    device: 'box-7',
    cameras: [
      { id: 'front', source: 'dir:frames/front', baseline: 'baselines/front.dwb', modelVersion: '2.1' },
      { id: 'back', source: 'proxy:http://127.0.0.1:3000/predict', baseline: '/data/back.dwb', fps: 5 },
    ],
    checkEvery: 50, queue: { maxBytes: '8MiB' }, sinks: { mqtt: 'mqtts://agent:pw@broker.example:8883' },
  });
  const files = { '/srv/agent/conf/driftwatch.yaml': TWO_CAMERAS, '/srv/agent/conf/driftwatch.json': json };
  const yaml = load({ argv: ['--config', 'conf/driftwatch.yaml'], files });
  const fromJson = load({ argv: ['--config', 'conf/driftwatch.json'], files });
  assert.equal(yaml.cameras, [
    { id: 'front', source: { kind: 'dir', path: '/srv/agent/conf/frames/front', after: { mode: 'keep' }, camera: 'cam0' }, baseline: '/srv/agent/conf/baselines/front.dwb', modelVersion: '2.1', fps: 10 },
    { id: 'back', source: { kind: 'proxy', upstream: new URL('http://127.0.0.1:3000'), tapPath: '/predict', camera: 'cam0' }, baseline: '/data/back.dwb', modelVersion: null, fps: 5 },
  ]);
  assert.is(yaml.queue.maxBytes, 8 * 1024 * 1024);
  assert.is(yaml.sinks.mqtt, 'mqtts://agent:pw@broker.example:8883');
  assert.is(yaml.configFile, '/srv/agent/conf/driftwatch.yaml');
  assert.equal({ ...fromJson, configFile: null, origins: {} }, { ...yaml, configFile: null, origins: {} });
});

Load('DRIFTWATCH_CONFIG names the file; single-camera flags override its only camera', () => {
  const files = { '/srv/agent/one.yml': 'device: box-2\ncameras:\n  - id: door\n    source: "stdin:jsonl"\n    baseline: door.dwb\n' };
  const config = load({ argv: ['--baseline', '/b/new.dwb', '--camera', 'gate'], env: { DRIFTWATCH_CONFIG: 'one.yml', DRIFTWATCH_FPS: '25' }, files });
  assert.equal(config.cameras, [{ id: 'gate', source: { kind: 'stdin', framing: 'jsonl', camera: 'cam0' }, baseline: '/b/new.dwb', modelVersion: null, fps: 25 }]);
  assert.is(config.origins['cameras[0].baseline'], '--baseline');
  assert.is(config.origins['cameras[0].source'], 'one.yml');
});

Load('the messages of the brief, exactly', () => {
  const files = { '/srv/agent/driftwatch.yaml': 'device: box-1\ncameras:\n  - { id: a, source: "http:", baseline: a.dwb }\n  - { id: b, source: "dir:/f" }\n' };
  assert.equal(problemsOf({ argv: ['--config', 'driftwatch.yaml'], files }), ['cameras[1].baseline: file not given (from driftwatch.yaml)']);
  assert.equal(problemsOf({ argv: ONE_CAMERA, env: { DRIFTWATCH_CHECK_EVERY: 'abc' } }), ["DRIFTWATCH_CHECK_EVERY: must be an integer >= 1, got 'abc'"]);
});

Load('unknown keys, variables and flags are errors, with the nearest known name', () => {
  const files = { '/srv/agent/d.yaml': 'device: box-1\nchekEvery: 5\nqueue:\n  maxFrame: 3\nsinks:\n  stdout: true\nfrobnicate: 1\ncameras:\n  - id: a\n    source: "http:"\n    baseline: a.dwb\n    baseilne: b.dwb\n' };
  assert.equal(problemsOf({ argv: ['--config', 'd.yaml', '--chek-every', '5', '--log-levle=debug'], env: { DRIFTWATCH_LISTN: ':1', PATH: '/bin' }, files }), [
    '--chek-every: unknown option; did you mean --check-every?',
    '--log-levle: unknown option; did you mean --log-level?',
    'DRIFTWATCH_LISTN: unknown variable; did you mean DRIFTWATCH_LISTEN?',
    "chekEvery: unknown key; did you mean 'checkEvery'? (from d.yaml)",
    "queue.maxFrame: unknown key; did you mean 'maxFrames'? (from d.yaml)",
    'frobnicate: unknown key (from d.yaml)',
    "cameras[0].baseilne: unknown key; did you mean 'baseline'? (from d.yaml)",
  ]);
  // snake_case is the same words: a suggestion, still an error.
  assert.equal(problemsOf({ argv: ['--config', 'd.yaml'], files: { '/srv/agent/d.yaml': 'device: x\ncheck_every: 5\ncameras: [{id: a, source: "http:", baseline: a}]' } }),
    ["check_every: unknown key; did you mean 'checkEvery'? (from d.yaml)"]);
});

Load('every bad value at once, each named with its origin', () => {
  const lines = problemsOf({
    argv: ['--device', 'box/1', '--source', 'ftp:x', '--baseline', 'b', '--decode-scale', '3', '--listen', '256.0.0.1:80', '--log-level', 'loud', '--mqtt', 'http://broker'],
    env: { DRIFTWATCH_QUEUE_MAX_BYTES: '12 parsecs', DRIFTWATCH_FALSE_ALARM_DAYS: '-1', DRIFTWATCH_STDOUT: 'maybe' },
  });
  // Agent options in schema order, then the cameras.
  assert.equal(lines, [
    "--device: must be 1 to 64 characters, each a letter, a digit, '_', '.' or '-', got 'box/1'",
    "DRIFTWATCH_FALSE_ALARM_DAYS: must be a number > 0, got '-1'",
    "--decode-scale: must be one of 1, 2, 4, 8, got '3'",
    "--listen: '256.0.0.1' is not an IPv4 address, a host name or a bracketed IPv6 address, in '256.0.0.1:80'",
    "DRIFTWATCH_QUEUE_MAX_BYTES: must be a size >= 1024 bytes (an integer, or with B, KiB, MiB or GiB), got '12 parsecs'",
    "--log-level: must be one of fatal, error, warn, info, debug, trace, got 'loud'",
    "DRIFTWATCH_STDOUT: must be true or false, got 'maybe'",
    '--mqtt: must be an mqtt:// or mqtts:// URL, got scheme http:',
    "--source: unknown source kind \"ftp\"; expected one of dir:, http:, proxy:, stdin:, in 'ftp:x'",
  ]);
});

Load('listen addresses: IPv4, names and bracketed IPv6; ports 0 to 65535', () => {
  const listen = (text: string) => load({ argv: [...ONE_CAMERA, '--listen', text] }).listen;
  assert.equal(listen('0.0.0.0:0'), { host: '0.0.0.0', port: 0 });
  assert.equal(listen('[::1]:9464'), { host: '::1', port: 9464 });
  assert.equal(listen('edge-box.local:80'), { host: 'edge-box.local', port: 80 });
  assert.equal(listen(':9464'), { host: '0.0.0.0', port: 9464 }, 'every interface, as the listen server reads it');
  assert.equal(problemsOf({ argv: [...ONE_CAMERA, '--listen', 'box:70000'] }), ["--listen: port must be 0 to 65535, got 70000 in 'box:70000'"]);
  assert.equal(problemsOf({ argv: [...ONE_CAMERA, '--listen', '9464'] }), ["--listen: must be host:port, got '9464'"]);
  assert.equal(problemsOf({ argv: [...ONE_CAMERA, '--listen', '[zz]:1'] }), ["--listen: 'zz' is not an IPv4 address, a host name or a bracketed IPv6 address, in '[zz]:1'"]);
  assert.equal(problemsOf({ argv: [...ONE_CAMERA, '--listen', '-bad-:1'] }), ["--listen: '-bad-' is not an IPv4 address, a host name or a bracketed IPv6 address, in '-bad-:1'"]);
});

Load('a dir: source in the agent takes its camera from the configuration, so camera= in the spec is refused, naming the key', () => {
  assert.equal(problemsOf({ argv: ['--device', 'box-1', '--camera', 'cam0', '--source', 'dir:frames?after=keep&camera=cam1', '--baseline', 'cam.dwb'] }), [
    "--source: camera= is not used here: a dir: source feeds the camera it is configured for (--camera, or the id of its entry in cameras), in 'dir:frames?after=keep&camera=cam1'",
  ]);
  assert.equal(load({ argv: [...ONE_CAMERA.slice(0, 3), 'dir:frames?after=delete', ...ONE_CAMERA.slice(4)] }).cameras[0].source.kind, 'dir');
  // Only the options after '?' count: a folder's own name may hold the text.
  const odd = load({ argv: [...ONE_CAMERA.slice(0, 3), 'dir:/srv/a&camera=b', ...ONE_CAMERA.slice(4)] }).cameras[0].source;
  assert.equal(odd.kind === 'dir' && odd.path, '/srv/a&camera=b');
});

Load('camera ids are unique; one camera at most reads stdin; checkEvery fits in the window', () => {
  const files = { '/srv/agent/c.yaml': 'device: d\ncheckEvery: 400\ncameras:\n  - {id: a, source: "stdin:frames", baseline: a}\n  - {id: a, source: "stdin:jsonl", baseline: b}\n  - {source: "http:", baseline: c}\n' };
  assert.equal(problemsOf({ argv: ['--config', 'c.yaml'], files }), [
    'cameras[2].id: camera id not given (from c.yaml)',
    "cameras[1].id: 'a' is already the id of cameras[0]; camera ids must be unique (from c.yaml)",
    'cameras[1].source: only one camera can read stdin, and cameras[0] does (from c.yaml)',
    'checkEvery: 400 exceeds window (300, default): frames between checks would never be compared (from c.yaml)',
  ]);
});

Load('single-camera flags cannot pick among several cameras', () => {
  const files = { '/srv/agent/driftwatch.yaml': TWO_CAMERAS };
  assert.equal(problemsOf({ argv: ['--config', 'driftwatch.yaml', '--fps', '5'], files }),
    ["--fps: sets one camera, but driftwatch.yaml lists 2; set it in the file's cameras entries"]);
});

Load('no camera at all, a missing baseline file, a missing device', () => {
  assert.equal(problemsOf({ argv: ['--device', 'd'] }),
    ['cameras: no camera configured: give --source and --baseline for one camera, or a cameras list in a config file (--config)']);
  assert.equal(problemsOf({ argv: ONE_CAMERA, fileExists: (p) => p !== '/srv/agent/cam.dwb' }), ['--baseline: no such file: /srv/agent/cam.dwb']);
  assert.equal(problemsOf({ argv: ONE_CAMERA.slice(2) }), ['device: device id not given; set --device, DRIFTWATCH_DEVICE or device in a config file']);
  assert.equal(problemsOf({ argv: ['--device', 'd', '--source', 'http:'] }),
    ['cameras[0].baseline: file not given; set --baseline, DRIFTWATCH_BASELINE or cameras[].baseline in a config file']);
});

Load('config files that cannot be used say why', () => {
  const files = {
    '/srv/agent/bad.yaml': 'device: [unclosed\n',
    '/srv/agent/list.yaml': '- a\n- b\n',
    '/srv/agent/x.toml': 'device = "a"',
    '/srv/agent/num.yaml': 'device: 0012\ncameras: [{id: 7, source: "http:", baseline: a}]\nqueue: 5\n',
    '/srv/agent/dup.yaml': 'device: a\ndevice: b\n',
    '/srv/agent/colon.yaml': 'device: d\ncameras:\n  - id: a\n    source: http:\n    baseline: a.dwb\n',
  };
  assert.equal(problemsOf({ argv: ['--config', 'missing.yaml'], files }), ['--config: cannot read missing.yaml (ENOENT)']);
  assert.equal(problemsOf({ argv: ['--config='], files }), ['--config: needs a file name']);
  const bad = problemsOf({ argv: ['--config', 'bad.yaml'], files });
  assert.match(bad[0], /^--config: bad\.yaml cannot be parsed: .*line 2/);
  assert.equal(problemsOf({ env: { DRIFTWATCH_CONFIG: 'list.yaml' }, files }), ['DRIFTWATCH_CONFIG: list.yaml must hold a mapping of keys (device, cameras, ...), not a list']);
  assert.equal(problemsOf({ argv: ['--config', 'x.toml'], files }), ['--config: x.toml cannot be parsed: x.toml must end in .yaml, .yml or .json']);
  // The file's shape is checked as it is read, then its values.
  assert.equal(problemsOf({ argv: ['--config', 'num.yaml'], files }), [
    'queue: must be a mapping of maxFrames, maxBytes (from num.yaml)',
    'device: must be a string, got number 12 (quote it in YAML to keep it a string) (from num.yaml)',
    'cameras[0].id: must be a string, got number 7 (quote it in YAML to keep it a string) (from num.yaml)',
  ]);
  assert.match(problemsOf({ argv: ['--config', 'dup.yaml'], files })[0], /^--config: dup\.yaml cannot be parsed: Map keys must be unique/);
  // An unquoted spec ending in ':' is a YAML mapping: the message shows the line and says to quote it.
  assert.equal(problemsOf({ argv: ['--config', 'colon.yaml'], files }), [
    `--config: colon.yaml cannot be parsed: Nested mappings are not allowed in compact mappings at line 4, column 13 ('source: http:'); a value that ends with ':' must be quoted, as in source: "http:"`,
  ]);
});

Load('flag forms: --name=value, --no-stdout, stray arguments, a missing value', () => {
  assert.is(load({ argv: [...ONE_CAMERA, '--no-stdout'] }).sinks.stdout, false);
  assert.is(load({ argv: [...ONE_CAMERA, '--stdout=false'] }).sinks.stdout, false);
  assert.is(load({ argv: [...ONE_CAMERA], env: { DRIFTWATCH_STDOUT: 'false' } }).sinks.stdout, false);
  assert.is(load({ argv: [...ONE_CAMERA, '--check-every=7', '--queue-max-bytes', '1.5KiB'] }).queue.maxBytes, 1536);
  assert.equal(problemsOf({ argv: [...ONE_CAMERA, 'frames/', '--window'] }), [
    "frames/: unexpected argument: run takes options only (--name value)",
    '--window: needs a value',
  ]);
  assert.is(load({ argv: [...ONE_CAMERA, '--mqtt', ''] }).sinks.mqtt, null);
});

Load('a password in an MQTT URL never appears in an error', () => {
  const lines = problemsOf({ argv: [...ONE_CAMERA, '--mqtt', 'mqtt://user:s3cret@'] }).join('\n');
  assert.ok(lines.startsWith('--mqtt: '), lines);
  assert.not.match(lines, 's3cret');
  const bad = problemsOf({ argv: [...ONE_CAMERA, '--source', 'nope://user:s3cret@host/x'] }).join('\n');
  assert.not.match(bad, 's3cret');
});

Load('relative paths from flags and variables are against the working directory', () => {
  const config = load({ argv: [...ONE_CAMERA, '--state-dir', 'state'], env: {} });
  assert.is(config.stateDir, resolve(CWD, 'state'));
});

Load('runHelpRequested: -h or --help before a --', () => {
  assert.ok(runHelpRequested(['--device', 'x', '--help']));
  assert.ok(runHelpRequested(['-h']));
  assert.not.ok(runHelpRequested(['--device', 'x']));
  assert.not.ok(runHelpRequested(['--', '--help']));
});

Load.run();

// `driftwatch demo` (npm start): the agent end to end on a bundled sample
// stream. A simulated camera (edge/demo/demo-stream.ts) writes JPEG frames
// into a folder; `driftwatch run` watches that folder with the bundled
// baseline and prints each alert as it fires. Part-way through, something
// blocks a quarter of the view. The agent publishes to an MQTT broker
// (--mqtt, DRIFTWATCH_MQTT_URL, else an embedded one) and an in-process
// watcher prints what arrives there (edge/demo/demo-mqtt.ts).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DRIFT_KINDS, type DriftKind } from '../../eval/drift.js';
import { DEMO_CAMERA, writeDemoStream } from '../demo/demo-stream.js';
import { positiveInteger } from '../cli-options.js';
import { UsageError, type CommandIO } from '../command-io.js';
import { runAgent } from './run.js';
import { startDemoMqtt, type DemoMqtt } from '../demo/demo-mqtt.js';
import { maskUrlCredentials } from '../config/mask-secrets.js';

export const DEMO_BASELINE = fileURLToPath(new URL('../../../samples/demo/coffee-cam.dwb', import.meta.url));

export const demoHelp = `Usage: driftwatch demo [options]

Runs the agent end to end on a bundled sample stream: a simulated camera
(samples/${DEMO_CAMERA.photo} with mount jitter, exposure wander, sensor noise
and JPEG; docs/scenarios.md) writes ${DEMO_CAMERA.width}×${DEMO_CAMERA.height} frames into a temporary folder;
'driftwatch run --source dir:<folder>' watches it with the bundled baseline
(samples/demo/coffee-cam.dwb) and prints each alert as it fires. From
--drift-at on, the camera sees the drift (default: an object covering a
quarter of the view).

Options:
  --frames <n>        frames the camera writes (default 700)
  --drift <kind>      ${DRIFT_KINDS.join(', ')} (default occlusion)
  --drift-at <n>      first drifted frame (default 400)
  --speed <n>         frames written per second of wall time (default 50: 5× the
                      camera's 10 fps)
  --json              print the agent's JSON alert lines instead of readable ones
                      (the [mqtt] lines then go to stderr, as JSON)
  --mqtt <url>        the MQTT broker the agent publishes to and the demo watches
                      (MQTT 5; default DRIFTWATCH_MQTT_URL). Without either, the
                      demo starts an embedded broker (aedes, MQTT 3.1.1) on a free
                      127.0.0.1 port and closes it at the end
  -h, --help          this text

Alerts arriving through the broker are printed as '[mqtt] …' lines, as
'driftwatch watch' prints them.`;

/** The demo agent's device id (MQTT topics: driftwatch/v1/demo-box/...). */
export const DEMO_DEVICE = 'demo-box';
/** Most the demo waits after the agent stops for its offline state, which follows every message it sent. */
const MQTT_DRAIN_MS = 3000;
/** How long the demo waits for the watcher's subscription before it starts the camera anyway. */
const SUBSCRIBE_WAIT_MS = 10_000;

interface AlertLine {
  state: string; frame: number; cause: string; causeRevised: boolean; id: string;
  findings: Array<{ description: string; effect: number }>;
}

function readable(line: AlertLine): string {
  const what = line.causeRevised ? `cause revised: ${line.cause}` : `${line.state.toUpperCase()}  probable cause: ${line.cause}`;
  const top = [...line.findings].sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect)).slice(0, 3).map((f) => f.description);
  return `frame ${String(line.frame).padStart(4)}  ${what}  (alert ${line.id})${top.length ? `\n            ${top.join('; ')}` : ''}`;
}

export interface DemoEnvironment {
  env?: Readonly<Record<string, string | undefined>>;
}

// What the demo passes on to the agent from its environment: the MQTT user
// name and password file (a URL's password travels in --mqtt).
const AGENT_ENV = ['DRIFTWATCH_MQTT_USERNAME', 'DRIFTWATCH_MQTT_PASSWORD_FILE'];

interface DemoRun {
  frames: number;
  driftAt: number;
  speed: number;
  drift: DriftKind;
  json: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

export async function runDemo(argv: string[], io: CommandIO, environment: DemoEnvironment = {}): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      frames: { type: 'string' }, drift: { type: 'string' }, 'drift-at': { type: 'string' }, speed: { type: 'string' },
      json: { type: 'boolean', default: false }, mqtt: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(demoHelp);
    return 0;
  }
  const frames = positiveInteger('--frames', values.frames, 700);
  const driftAt = positiveInteger('--drift-at', values['drift-at'], 400);
  const speed = positiveInteger('--speed', values.speed, 50);
  const drift = (values.drift ?? 'occlusion') as DriftKind;
  if (!DRIFT_KINDS.includes(drift)) throw new UsageError(`--drift must be one of ${DRIFT_KINDS.join(', ')}; got '${values.drift}'`);
  if (frames < 301) throw new UsageError('--frames must be at least 301: the monitor checks once it has 300 frames');
  const env = environment.env ?? process.env;
  const mqttUrl = values.mqtt ?? (env.DRIFTWATCH_MQTT_URL || undefined);
  if (mqttUrl !== undefined && !/^mqtts?:\/\/./.test(mqttUrl)) throw new UsageError(`--mqtt must be an mqtt:// or mqtts:// URL, got '${maskUrlCredentials(mqttUrl)}'`);

  const mqtt = await startDemoMqtt({
    device: DEMO_DEVICE, url: mqttUrl, env, json: values.json, io,
    print: (line) => (values.json ? io.error(line) : io.out(line)),
  });
  try {
    await watcherReady(mqtt, io);
    return await runDemoAgent({ frames, driftAt, speed, drift, json: values.json, env }, mqtt, io);
  } finally {
    await mqtt.stop();
  }
}

async function watcherReady(mqtt: DemoMqtt, io: CommandIO): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => { timer = setTimeout(resolve, SUBSCRIBE_WAIT_MS, false); });
  const subscribed = await Promise.race([mqtt.subscribed.then(() => true), timedOut]);
  clearTimeout(timer);
  if (!subscribed) io.error(`driftwatch demo: the watcher is not subscribed to ${mqtt.broker} after ${SUBSCRIBE_WAIT_MS / 1000} s; going on (it keeps trying)`);
  io.out(`driftwatch demo: MQTT broker ${mqtt.broker}; the agent publishes there and a watcher prints what arrives as [mqtt] lines.`);
}

/** The camera writes into a temporary folder, the agent watches it and publishes to the demo's broker. */
async function runDemoAgent(run: DemoRun, mqtt: DemoMqtt, io: CommandIO): Promise<number> {
  const { frames, driftAt, speed, drift, env } = run;
  const work = await mkdtemp(join(tmpdir(), 'driftwatch-demo-'));
  const folder = join(work, 'frames');
  await (await import('node:fs/promises')).mkdir(folder);
  let written = 0, processedAll: () => void = () => undefined;
  const done = new Promise<void>((resolve) => { processedAll = resolve; });
  const out: CommandIO = {
    ...io,
    out: (line) => io.out(run.json ? line : readable(JSON.parse(line) as AlertLine)),
  };
  io.out(`driftwatch demo: camera '${DEMO_CAMERA.id}' writes ${frames} frames into ${folder} at ${speed} frames/s; `
    + `from frame ${driftAt} on: ${drift}. The agent watches the folder (baseline samples/demo/coffee-cam.dwb):`);
  try {
    const code = await runAgent([
      '--device', DEMO_DEVICE, '--camera', DEMO_CAMERA.id, '--source', `dir:${folder}?after=delete`,
      '--baseline', DEMO_BASELINE, '--state-dir', join(work, 'state'), '--listen', '127.0.0.1:0', '--log-level', 'warn',
      ...mqtt.agentArgs,
    ], out, {
      env: Object.fromEntries(AGENT_ENV.filter((name) => env[name] !== undefined).map((name) => [name, env[name]])),
      stopSignal: done,
      onStarted: async (agent) => {
        const pipeline = agent.cameras.get(DEMO_CAMERA.id)!;
        const { host, port } = agent.address;
        io.error(`(metrics: http://${host}:${port}/metrics, health: http://${host}:${port}/healthz)`);
        await writeDemoStream(folder, {
          frames, seed: 7, fps: speed,
          drift: { kind: drift, startFrame: driftAt, ...(drift === 'scene-change' ? { targetPhoto: 'chelsea.png' } : {}) },
          onFrame: (index) => { written = index + 1; if (index % 100 === 0) io.progress(`camera: frame ${index} of ${frames}; agent: ${pipeline.frames} measured`); },
        });
        // The agent deletes each frame once measured: the demo ends when the folder is empty.
        const poll = setInterval(() => {
          void readdir(folder).then((left) => {
            if (left.filter((name) => name.endsWith('.jpg')).length === 0) { clearInterval(poll); processedAll(); }
          });
        }, 100);
      },
    });
    io.progressDone();
    // Let the last alerts arrive through the broker before the watcher stops.
    await mqtt.drained(MQTT_DRAIN_MS);
    io.out(`driftwatch demo: ${written} frames written and measured; the agent stopped with exit code ${code}.`);
    return code;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

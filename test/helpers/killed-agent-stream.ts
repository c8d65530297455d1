// The set-up the MQTT kill tests share: a demo stream with an occlusion
// drift as JPEG files, part of it in the agent's dir: source from the start
// and the rest moved in at ~40 frames/s; a persistent-session subscriber that
// records every message of the device; agent runs started with the same
// arguments and state directory, each awaited until it listens.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decode } from '@msgpack/msgpack';
import mqtt from 'mqtt';
import { demoJpegFrames } from '../../edge/demo/demo-stream.js';
import { AgentProcess } from './agent-process.js';
import { repoPath } from './paths.js';

export interface ReceivedMessage { topic: string; bytes: Buffer; envelope: Record<string, any> }

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const frameName = (i: number) => `f${String(i).padStart(5, '0')}.jpg`;

/** The demo camera's frames (seed 11), drifting by occlusion from `driftAt`. */
export async function occlusionStream(frames: number, driftAt: number): Promise<Buffer[]> {
  const jpegs: Buffer[] = [];
  for await (const { jpeg } of demoJpegFrames({ frames, seed: 11, drift: { kind: 'occlusion', startFrame: driftAt } })) jpegs.push(jpeg);
  return jpegs;
}

/** Writes the first `prefilled` frames into <work>/frames and the rest into <work>/incoming. */
export async function stageFrames(work: string, jpegs: readonly Buffer[], prefilled: number): Promise<{ frames: string; incoming: string; state: string }> {
  const frames = join(work, 'frames'), incoming = join(work, 'incoming'), state = join(work, 'state');
  await mkdir(frames); await mkdir(incoming);
  for (let i = 0; i < jpegs.length; i++) await writeFile(join(i < prefilled ? frames : incoming, frameName(i)), jpegs[i]!);
  return { frames, incoming, state };
}

/** Moves the staged frames from `prefilled` on into the watched folder, one every 25 ms. */
export async function feedFrames(dirs: { frames: string; incoming: string }, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    await rename(join(dirs.incoming, frameName(i)), join(dirs.frames, frameName(i)));
    await sleep(25);
  }
}

/** A persistent-session MQTT 5 subscriber to everything under the device, recording each message decoded. */
export async function recordDevice(url: string, device: string, options: mqtt.IClientOptions): Promise<{ client: mqtt.MqttClient; received: ReceivedMessage[] }> {
  const received: ReceivedMessage[] = [];
  const client = mqtt.connect(url, { protocolVersion: 5, clean: false, properties: { sessionExpiryInterval: 600 }, ...options });
  client.on('message', (topic, payload) => received.push({ topic, bytes: Buffer.from(payload), envelope: decode(payload) as Record<string, any> }));
  await new Promise<void>((resolve, reject) => { client.once('connect', () => resolve()); client.once('error', reject); });
  await client.subscribeAsync(`driftwatch/v1/${device}/#`, { qos: 1 });
  return { client, received };
}

/** Starts runs of one camera `yard` on the dir: source with the demo baseline and a 1 s checkpoint interval. */
export function agentRuns(options: { device: string; frames: string; state: string; mqttUrl: string }): { runs: AgentProcess[]; start: () => Promise<AgentProcess> } {
  const args = ['--device', options.device, '--camera', 'yard', '--source', `dir:${options.frames}?after=delete`, '--baseline', repoPath('samples/demo/coffee-cam.dwb'),
    '--state-dir', options.state, '--listen', '127.0.0.1:0', '--mqtt', options.mqttUrl, '--checkpoint-interval-s', '1'];
  const runs: AgentProcess[] = [];
  const start = async () => {
    const agent = new AgentProcess(args);
    runs.push(agent);
    await agent.until(() => agent.logs.some((l) => typeof l.listen === 'string'), 30_000, 'the listen line');
    return agent;
  };
  return { runs, start };
}

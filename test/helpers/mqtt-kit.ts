// Small pieces the MQTT suites share: a captured pino logger, plain test
// payloads (the real msgpack envelopes are another module's job), a watcher
// client that records what the broker delivers, a TCP proxy whose
// connections a test can cut (the broker then sends the Will), and waitFor.
import { createServer, connect, type Server, type Socket } from 'node:net';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { createLogger } from '../../edge/observability/logger.js';
import { freePort } from './mosquitto.js';

export function capturedLogger() {
  const chunks: string[] = [];
  const log = createLogger({ level: 'debug', device: 'box-1', destination: { write: (chunk: string) => { chunks.push(chunk); } } });
  const text = () => chunks.join('');
  const lines = () => text().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { log, text, lines };
}

export const statePayload = (online: boolean, bdSeq: number) => new TextEncoder().encode(`${online ? 'online' : 'offline'} ${bdSeq}`);
export const birthPayload = (bdSeq: number) => new TextEncoder().encode(`birth ${bdSeq}`);
export const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

export function payloads() {
  let bdSeq = 0;
  return {
    nextBdSeq: async () => ++bdSeq,
    willPayload: (n: number) => statePayload(false, n),
    onlinePayload: (n: number) => statePayload(true, n),
    birthPayload,
  };
}

export async function waitFor(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface Received { topic: string; text: string; retain: boolean }

/** An MQTT 5 client that records every message on `filter`. */
export async function watcher(url: string, filter: string, options: IClientOptions = {}) {
  const client: MqttClient = await mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0, ...options });
  const received: Received[] = [];
  client.on('message', (topic, payload, packet) => received.push({ topic, text: payload.toString(), retain: packet.retain }));
  await client.subscribeAsync(filter, { qos: 1 });
  return { client, received, close: () => client.endAsync(true) };
}

/** Forwards loopback connections to `port`; cut() destroys them all (no DISCONNECT reaches the broker). */
export async function tcpProxy(port: number) {
  const sockets = new Set<Socket>();
  const proxyPort = await freePort();
  const server: Server = createServer((inbound) => {
    const outbound = connect(port, '127.0.0.1');
    for (const s of [inbound, outbound]) { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => undefined); }
    inbound.pipe(outbound).pipe(inbound);
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
  });
  await new Promise<void>((resolve) => server.listen(proxyPort, '127.0.0.1', resolve));
  return {
    url: `mqtt://127.0.0.1:${proxyPort}`,
    cut: () => { for (const s of sockets) s.destroy(); },
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

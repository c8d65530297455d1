// A real Mosquitto broker for one test suite, on free loopback ports, with a
// config written into a temporary folder. Debian's mosquitto started as root
// drops to the `mosquitto` user and then cannot read a 0700 mkdtemp folder
// ("Unable to open pwfile"): the folder is made 0755 and its files 0644.
// Every broker started here is SIGKILLed when the test process exits.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTlsFiles, type TlsFiles } from './tls-certs.js';

export const MOSQUITTO = '/usr/sbin/mosquitto';
const HOST = '127.0.0.1';

export interface MosquittoOptions {
  /** username → password, written with mosquitto_passwd. */
  users?: Record<string, string>;
  /** Default: true without users, false with them. */
  allowAnonymous?: boolean;
  /** Write an ACL file: the two driftwatch patterns plus these lines. */
  acl?: boolean;
  aclLines?: string[];
  websockets?: boolean;
  /** A TLS listener with openssl-made certificates (tls.files). */
  tls?: boolean;
}

export interface Mosquitto {
  port: number;
  wsPort?: number;
  tlsPort?: number;
  url: string;
  dir: string;
  tls?: TlsFiles;
  /** The broker's log so far (stderr), for failure messages. */
  log(): string;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

const live = new Set<ChildProcess>();
const killAll = () => { for (const child of live) child.kill('SIGKILL'); };
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { killAll(); process.exit(128 + (signal === 'SIGINT' ? 2 : 15)); });

/** A port that was free a moment ago: bind port 0, read it, close. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port }, () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

function writeConfig(dir: string, ports: { port: number; wsPort?: number; tlsPort?: number }, options: MosquittoOptions, tls?: TlsFiles): string {
  const users = options.users ?? {};
  const lines = [`listener ${ports.port} ${HOST}`];
  if (ports.wsPort) lines.push(`listener ${ports.wsPort} ${HOST}`, 'protocol websockets');
  if (ports.tlsPort && tls) lines.push(`listener ${ports.tlsPort} ${HOST}`, `cafile ${tls.ca}`, `certfile ${tls.serverCert}`, `keyfile ${tls.serverKey}`);
  lines.push(`allow_anonymous ${options.allowAnonymous ?? Object.keys(users).length === 0}`, 'persistence false', 'log_dest stderr', 'log_type error', 'log_type warning', 'log_type notice');
  const names = Object.keys(users);
  if (names.length > 0) {
    const file = join(dir, 'passwd');
    for (const [i, name] of names.entries()) {
      const result = spawnSync('/usr/bin/mosquitto_passwd', [...(i === 0 ? ['-c'] : []), '-b', file, name, users[name]]);
      if (result.status !== 0) throw new Error(`mosquitto_passwd failed: ${result.stderr}`);
    }
    lines.push(`password_file ${file}`);
  }
  if (options.acl) {
    const file = join(dir, 'acl');
    writeFileSync(file, ['pattern write driftwatch/v1/%u/#', 'pattern read driftwatch/v1/%u/cmd/#', ...(options.aclLines ?? [])].join('\n') + '\n');
    lines.push(`acl_file ${file}`);
  }
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(config, lines.join('\n') + '\n');
  return config;
}

function openForBrokerUser(dir: string): void {
  chmodSync(dir, 0o755);
  for (const name of spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)) chmodSync(join(dir, name), 0o644);
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-mosquitto-'));
  const port = await freePort();
  const wsPort = options.websockets ? await freePort() : undefined;
  const tlsPort = options.tls ? await freePort() : undefined;
  const tls = options.tls ? makeTlsFiles(dir) : undefined;
  const config = writeConfig(dir, { port, wsPort, tlsPort }, options, tls);
  openForBrokerUser(dir);
  let child: ChildProcess | null = null;
  let log = '';

  const launch = async (): Promise<void> => {
    const started = spawn(MOSQUITTO, ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    live.add(started);
    started.stderr!.on('data', (chunk: Buffer) => { log += chunk; });
    const exited = new Promise<void>((resolve) => started.once('exit', () => { live.delete(started); resolve(); }));
    (started as ChildProcess & { exitedPromise?: Promise<void> }).exitedPromise = exited;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (started.exitCode !== null) throw new Error(`mosquitto exited with ${started.exitCode}:\n${log}`);
      const up = await Promise.all([port, wsPort, tlsPort].filter((p): p is number => p !== undefined).map(accepts));
      if (up.every(Boolean)) return;
      if (Date.now() > deadline) throw new Error(`mosquitto did not listen within 10 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const stop = async (): Promise<void> => {
    const running = child as (ChildProcess & { exitedPromise?: Promise<void> }) | null;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    running.kill('SIGTERM');
    const killer = setTimeout(() => running.kill('SIGKILL'), 3000);
    await running.exitedPromise;
    clearTimeout(killer);
  };

  await launch();
  return {
    port, wsPort, tlsPort, dir, tls,
    url: `mqtt://${HOST}:${port}`,
    log: () => log,
    stop,
    restart: async () => { await stop(); await launch(); },
  };
}

/** Stops the broker and removes its folder. */
export async function disposeMosquitto(broker: Mosquitto | undefined): Promise<void> {
  if (!broker) return;
  await broker.stop();
  rmSync(broker.dir, { recursive: true, force: true });
}

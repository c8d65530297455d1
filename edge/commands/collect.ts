// `driftwatch collect --mqtt <url> --group <name>`: one member of a group of
// collectors sharing the fleet's summaries (an MQTT 5 shared subscription),
// merging them into a fleet view it prints and serves over HTTP.
import { parseArgs } from 'node:util';
import { TOPIC_ROOT, checkTopicLevel } from '../../src/envelope/topics.js';
import type { Envelope } from '../../src/envelope/envelope.js';
import type { SummaryBody } from '../../src/envelope/summary.js';
import { ListenServer, parseListenAddress } from '../http/listen-server.js';
import { sendJson } from '../http/http-error.js';
import { UsageError, type CommandIO } from '../command-io.js';
import { positiveSeconds } from '../cli-options.js';
import { Collector } from '../mqtt-tools/collector.js';
import { connectionFlags, connectionHelp, connectionOptions, protocolOption } from '../mqtt-tools/connection-flags.js';
import { undecodableLine } from '../mqtt-tools/decode-message.js';
import { fleetTable } from '../mqtt-tools/fleet-table.js';
import { safeJson } from '../mqtt-tools/safe-text.js';
import { signalled } from '../mqtt-tools/stop-signal.js';
import { Subscriber } from '../mqtt-tools/subscriber.js';

export const collectHelp = `Usage: driftwatch collect --mqtt <url> --group <name> [options]

Subscribes to every device's summaries with the MQTT 5 shared subscription
$share/<group>/${TOPIC_ROOT}/+/summary/# (QoS 1): collectors started with
the same --group split the summaries between them, each summary going to one
of them. Each summary is decoded, checked and merged into a fleet view per
camera (device/camera), model and site; a summary whose (dev, bdSeq, seq) this
collector has already taken is counted as a duplicate and not merged again.
A copy that the broker hands to another member of the group is that
member's to drop: merge the members' views idempotently (docs/mqtt-tools.md).
A message that is not a valid summary is reported on stderr (one line naming
the topic and the problem), counted, and collecting goes on.

Options:
  --group <name>      the shared subscription group; required
  --listen <host:port>  serve GET /fleet (JSON: counts, cameras, and the view
                      per camera, model and site) and GET /healthz
  --print-every <s>   print the fleet view every s seconds (default 10)
  --json              print it as one JSON object per line (as GET /fleet)
  -h, --help          this text

${connectionHelp}

Exit codes: 0 on SIGINT/SIGTERM; 1 when the broker refuses the connection or
the subscription, or --listen cannot be bound; 2 on bad usage.`;

export interface CollectEnvironment {
  env?: Readonly<Record<string, string | undefined>>;
  /** Resolves when the collector should stop (default: SIGTERM or SIGINT). */
  stopSignal?: Promise<unknown>;
}

function groupName(text: string | undefined): string {
  if (text === undefined) throw new UsageError('give the shared subscription group: --group <name>');
  try {
    return checkTopicLevel(text, '--group');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export async function runCollect(argv: string[], io: CommandIO, environment: CollectEnvironment = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...connectionFlags,
      group: { type: 'string' }, listen: { type: 'string' }, 'print-every': { type: 'string' },
      json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(collectHelp);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const group = groupName(values.group);
  const printEveryS = positiveSeconds('--print-every', values['print-every']) ?? 10;
  let address;
  try {
    address = values.listen === undefined ? undefined : parseListenAddress(values.listen);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (protocolOption(values['mqtt-protocol']) === 4) io.error('driftwatch collect: warning: MQTT 3.1.1 has no shared subscriptions; whether $share/ works depends on the broker');
  const { options, broker } = connectionOptions(values, 'collect', environment.env ?? process.env);

  const collector = new Collector();
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => { finish = resolve; });
  const subscriber = new Subscriber({
    client: options,
    filters: { [`$share/${group}/${TOPIC_ROOT}/+/summary/#`]: { qos: 1 } },
    kinds: ['summary'],
    onMessage: (message) => { collector.summary(message.envelope as Envelope<SummaryBody>); },
    onUndecodable: (topic, error) => { collector.undecodable(); io.error(`driftwatch collect: ${undecodableLine(topic, error)}`); },
    onStatus: (line) => io.error(`driftwatch collect: ${line} (${broker})`),
    onFatal: (error) => { io.error(`driftwatch collect: ${error.message} (${broker})`); finish(1); },
  });
  let server: ListenServer | undefined;
  if (address) {
    server = new ListenServer(address, { onError: (error) => io.error(`driftwatch collect: HTTP: ${error.message}`) });
    // Through safeJson first: it writes any bigint or bytes as JSON can hold them.
    server.route('GET', '/fleet', (_request, response) => sendJson(response, 200, JSON.parse(safeJson(collector.toJSON(group)))));
    server.route('GET', '/healthz', (_request, response) => {
      const ok = subscriber.connected;
      sendJson(response, ok ? 200 : 503, { ok, group, counts: collector.counts });
    });
    try {
      const bound = await server.listen();
      io.error(`driftwatch collect: serving http://${bound.host.includes(':') ? `[${bound.host}]` : bound.host}:${bound.port}/fleet and /healthz`);
    } catch (error) {
      io.error(`driftwatch collect: ${(error as Error).message}`);
      return 1;
    }
  }

  const signals = environment.stopSignal ? undefined : signalled();
  const print = () => io.out(values.json ? safeJson({ ts: Date.now(), ...collector.toJSON(group) }) : fleetTable(collector));
  const timer = setInterval(print, printEveryS * 1000);
  subscriber.start();
  void (environment.stopSignal ?? signals!.promise).then(() => finish(0));
  const code = await finished;
  clearInterval(timer);
  signals?.cancel();
  await subscriber.stop();
  await server?.close();
  if (code === 0) print();
  return code;
}

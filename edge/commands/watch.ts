// `driftwatch watch --mqtt <url>`: prints the alerts and device states that
// arrive on the broker, as readable lines or JSON lines.
import { parseArgs } from 'node:util';
import { positiveInteger, positiveSeconds } from '../cli-options.js';
import { UsageError, type CommandIO } from '../command-io.js';
import { connectionFlags, connectionHelp, connectionOptions } from '../mqtt-tools/connection-flags.js';
import { undecodableLine } from '../mqtt-tools/decode-message.js';
import { signalled } from '../mqtt-tools/stop-signal.js';
import { Subscriber } from '../mqtt-tools/subscriber.js';
import { watchFilters, watchKinds } from '../mqtt-tools/watch-filters.js';
import { humanLine, jsonLine } from '../mqtt-tools/watch-lines.js';

export const watchHelp = `Usage: driftwatch watch --mqtt <url> [options]

Subscribes (QoS 1) to driftwatch/v1/<device>/alert/<camera> and
driftwatch/v1/<device>/state (docs/mqtt-tools.md) and prints each message as
it arrives:
  2026-12-01T17:10:28Z  box-1/gate  FIRING  occlusion  luma_mean −38% (level 0-255), …  (alert gate:424)
  2026-12-01T17:10:30Z  box-1 online (bdSeq 3)
  2026-12-01T17:12:02Z  box-1 OFFLINE
States are retained: the current state of each device comes first.
A message that is not a valid driftwatch message is reported on stderr (one
line naming the topic and the problem) and watching goes on. Control and
bidi characters in received text are printed as \\xNN / \\uNNNN escapes.
Reconnects on its own after the broker goes away.

Options:
  --device <id>       only this device (default: all, '+')
  --camera <id>       only this camera's alerts (default: all)
  --birth             also print birth messages (driftwatch/v1/<device>/birth)
  --json              one JSON object per line: the envelope (topic, v, dev, cam,
                      bdSeq, seq, ts, kind, hist) with its decoded body
  --count <n>         exit 0 after n messages were printed
  --timeout <s>       exit 1 when s seconds pass with no message printed
                      (counted from the start and from each message)
  -h, --help          this text

${connectionHelp}

Exit codes: 0 after --count messages or on SIGINT/SIGTERM; 1 on --timeout, when
the broker refuses the connection or subscription, or a TLS file cannot be
read; 2 on bad usage.`;

export interface WatchEnvironment {
  env?: Readonly<Record<string, string | undefined>>;
  /** Resolves when the watch should end with exit 0 (default: SIGTERM or SIGINT). */
  stopSignal?: Promise<unknown>;
}

export async function runWatch(argv: string[], io: CommandIO, environment: WatchEnvironment = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...connectionFlags,
      device: { type: 'string' }, camera: { type: 'string' }, birth: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false }, count: { type: 'string' }, timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(watchHelp);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const selection = { device: values.device, camera: values.camera, birth: values.birth };
  const filters = watchFilters(selection);
  const count = values.count === undefined ? undefined : positiveInteger('--count', values.count, 1);
  const timeoutS = positiveSeconds('--timeout', values.timeout);
  const { options, broker } = connectionOptions(values, 'watch', environment.env ?? process.env);

  const signals = environment.stopSignal ? undefined : signalled();
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => { finish = resolve; });
  let printed = 0;
  let idle: NodeJS.Timeout | undefined;
  const armTimeout = () => {
    if (timeoutS === undefined) return;
    clearTimeout(idle);
    idle = setTimeout(() => {
      io.error(`driftwatch watch: no message in ${timeoutS} s`);
      finish(1);
    }, timeoutS * 1000);
  };
  const subscriber = new Subscriber({
    client: options, filters, kinds: watchKinds(selection),
    onMessage: (message) => {
      if (count !== undefined && printed >= count) return;
      io.out(values.json ? jsonLine(message) : humanLine(message));
      printed += 1;
      armTimeout();
      if (count !== undefined && printed >= count) finish(0);
    },
    onUndecodable: (topic, error) => io.error(`driftwatch watch: ${undecodableLine(topic, error)}`),
    onStatus: (line) => io.error(`driftwatch watch: ${line} (${broker})`),
    onFatal: (error) => { io.error(`driftwatch watch: ${error.message} (${broker})`); finish(1); },
  });
  armTimeout();
  subscriber.start();
  void (environment.stopSignal ?? signals!.promise).then(() => finish(0));
  const code = await finished;
  clearTimeout(idle);
  signals?.cancel();
  await subscriber.stop();
  return code;
}

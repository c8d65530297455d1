// The live view (issue 8, item 4): connects to a broker over MQTT over
// WebSockets with (read-only) credentials, subscribes to one device's state,
// alerts and summaries, and shows them as they arrive. Everything from the
// broker is set with textContent. The password is read from its field when
// Connect is pressed, handed to MQTT.js (which keeps it in memory to
// reconnect), cleared from the field, and never stored or logged.
import mqtt, { type MqttClient } from 'mqtt';
import { LiveState, liveTopics, type LiveAlertRow, type LiveSummaryRow } from './live-state.js';
import { appendRow, formatNumber } from './text-table.js';

const RECONNECT_MS = 2000;

function element<T extends HTMLElement>(id: string): T | null {
  return document.getElementById(id) as T | null;
}

function timeText(ts: number): string {
  return new Date(ts).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** MQTT 3.1.1 CONNACK codes that retrying will not fix. */
const REFUSED: Record<number, string> = {
  1: 'unacceptable protocol version', 2: 'client id rejected', 4: 'bad user name or password', 5: 'not authorized',
};

export function mountLiveView(): void {
  const url = element<HTMLInputElement>('live-url');
  if (!url) return; // a page without the live panel
  const ui = {
    url,
    user: element<HTMLInputElement>('live-user')!,
    password: element<HTMLInputElement>('live-password')!,
    device: element<HTMLInputElement>('live-device')!,
    camera: element<HTMLInputElement>('live-camera')!,
    connect: element<HTMLButtonElement>('live-connect')!,
    disconnect: element<HTMLButtonElement>('live-disconnect')!,
    status: element<HTMLSpanElement>('live-status')!,
    deviceState: element<HTMLSpanElement>('live-device-state')!,
    alerts: element<HTMLTableElement>('live-alerts')!.tBodies[0],
    summaries: element<HTMLTableElement>('live-summaries')!.tBodies[0],
    errors: element<HTMLUListElement>('live-errors')!,
  };
  let client: MqttClient | null = null;
  let state: LiveState | null = null;
  const expose = () => { (window as unknown as { __driftwatchLive: LiveState | null }).__driftwatchLive = state; };

  const setStatus = (text: string) => {
    ui.status.textContent = text;
    if (state) state.status = text;
  };

  const stop = (status: string) => {
    const open = client;
    client = null;
    open?.end(true);
    ui.connect.disabled = false;
    ui.disconnect.disabled = true;
    setStatus(status);
  };

  const addAlert = (row: LiveAlertRow) => {
    const tr = appendRow(ui.alerts, [timeText(row.ts) + (row.hist ? ' (late)' : ''), row.camera, row.state, row.cause, row.id, row.features.join(', ')], row.state.split(' ')[0]);
    ui.alerts.prepend(tr); // newest first
    while (ui.alerts.rows.length > 500) ui.alerts.lastElementChild?.remove();
  };

  const renderSummaries = () => {
    ui.summaries.replaceChildren();
    const rows: LiveSummaryRow[] = [...state!.summaries.values()].sort((a, b) => (a.camera < b.camera ? -1 : 1));
    for (const row of rows) {
      appendRow(ui.summaries, [
        row.camera, timeText(row.ts) + (row.hist ? ' (late)' : ''), row.frames,
        row.from === null ? '—' : `${row.from}–${row.to}`, row.window,
        row.means.map(([name, mean]) => `${name} ${formatNumber(mean)}`).join(', '),
        row.alertId ? `${row.alertState} (${row.alertId})` : row.alertState,
      ], row.alertState);
    }
  };

  const addError = (topic: string, message: string, at: number) => {
    const li = document.createElement('li');
    li.textContent = `${timeText(at)} ${topic}: ${message}`;
    ui.errors.append(li);
    while (ui.errors.children.length > 100) ui.errors.firstElementChild?.remove();
  };

  const connect = () => {
    if (client) stop('disconnected');
    const address = ui.url.value.trim();
    let topics: string[];
    try {
      const parsed = new URL(address);
      if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw new Error('the broker address must start with ws:// or wss://');
      topics = liveTopics(ui.device.value.trim(), ui.camera.value.trim() || undefined);
    } catch (error) {
      setStatus(`cannot connect: ${(error as Error).message}`);
      return;
    }
    state = new LiveState(ui.device.value.trim(), ui.camera.value.trim() || null);
    expose();
    for (const body of [ui.alerts, ui.summaries]) body.replaceChildren();
    ui.errors.replaceChildren();
    ui.deviceState.textContent = '';
    const password = ui.password.value;
    ui.password.value = '';
    const user = ui.user.value.trim();
    const watching = `${state.device}${state.camera ? `/${state.camera}` : ' (all cameras)'}`;
    setStatus(`connecting to ${address} …`);
    ui.connect.disabled = true;
    ui.disconnect.disabled = false;
    const current = mqtt.connect(address, {
      ...(user ? { username: user, password } : {}),
      clientId: `driftwatch-review-${Math.random().toString(16).slice(2, 10)}`,
      clean: true, protocolVersion: 4, reconnectPeriod: RECONNECT_MS, connectTimeout: 10_000, resubscribe: false,
      // MQTT.js's default in a browser runs its timers in a Worker made from a blob: URL, which the page's CSP (worker-src 'self') refuses.
      timerVariant: 'native',
    });
    client = current;
    const mine = () => client === current;
    current.on('connect', () => {
      if (!mine()) return;
      setStatus(`connected to ${address}${user ? ` as ${user}` : ''}; subscribing to ${watching} …`);
      current.subscribe(topics, { qos: 1 }, (error, granted) => {
        if (!mine()) return;
        const refused = (granted ?? []).filter((g) => g.qos === 128).map((g) => g.topic);
        if (error || refused.length) {
          setStatus(`connected, but the broker refused the subscription${refused.length ? ` to ${refused.join(', ')}` : ''}${error ? `: ${error.message}` : ''} (check its ACL)`);
          return;
        }
        setStatus(`connected to ${address}${user ? ` as ${user}` : ''}; watching ${watching}`);
      });
    });
    current.on('reconnect', () => { if (mine()) setStatus(`connection lost; reconnecting to ${address} every ${RECONNECT_MS / 1000} s …`); });
    current.on('offline', () => { if (mine()) setStatus(`offline; reconnecting to ${address} …`); });
    current.on('error', (error: Error & { code?: number | string }) => {
      if (!mine()) return;
      const code = typeof error.code === 'number' ? error.code : undefined;
      if (code !== undefined && REFUSED[code]) stop(`the broker refused the connection: ${REFUSED[code]}`);
      else setStatus(`connection error: ${error.message}; retrying …`);
    });
    current.on('message', (topic, payload) => {
      if (!mine() || !state) return;
      const event = state.handle(topic, payload);
      switch (event.type) {
        case 'alert': addAlert(event.row); break;
        case 'summary': renderSummaries(); break;
        case 'state':
          ui.deviceState.textContent = `device ${state.device}: ${event.state.online ? 'online' : 'offline'} since ${timeText(event.state.ts)} (connection ${event.state.bdSeq})`;
          break;
        case 'error': addError(event.line.topic, event.line.message, event.line.at); break;
        default: break;
      }
    });
  };

  ui.connect.addEventListener('click', connect);
  ui.disconnect.addEventListener('click', () => stop('disconnected'));
  expose();
}

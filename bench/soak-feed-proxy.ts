// Soak feeder for `proxy:`: a stand-in inference service (node:http in this
// process) answers each POST /predict with the frame's predictions, which
// the feeder sends along in a header for it to echo; the feeder calls it
// through the agent's proxy over keep-alive connections, `concurrency`
// calls in flight. A proxy cannot push back (a tap that finds the queue
// full is dropped), so the feeder keeps its lead over the frames the agent
// has handled (read from /metrics) under `lead`, as a camera at a steady
// rate would.
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricSum } from './agent-child.js';
import { InFlightCalls } from './in-flight-calls.js';
import type { SoakFeeder, SoakFrame } from './soak-feeder.js';

const PREDICTIONS = 'x-soak-predictions';

export class ProxyFeeder implements SoakFeeder {
  readonly stdin = false;
  readonly dropsRefused = true;
  private readonly agent: Agent;
  private port = 0;
  private handled = 0;
  private readonly inFlight: InFlightCalls;

  private constructor(private readonly model: Server, readonly source: string, concurrency: number, private readonly lead: number) {
    this.inFlight = new InFlightCalls(concurrency);
    this.agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  }

  static async start(concurrency: number, lead: number): Promise<ProxyFeeder> {
    const model = createServer((req, res) => {
      const answer = String(req.headers[PREDICTIONS] ?? '{}');
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) }).end(answer));
    });
    await new Promise<void>((resolve) => model.listen(0, '127.0.0.1', resolve));
    const port = (model.address() as AddressInfo).port;
    return new ProxyFeeder(model, `proxy:http://127.0.0.1:${port}/predict`, concurrency, lead);
  }

  attach(target: { port: number }): void {
    this.port = target.port;
  }

  async send(sequence: number, frame: SoakFrame): Promise<void> {
    while (sequence - this.handled > this.lead) {
      this.handled = await this.handledByAgent();
      if (sequence - this.handled > this.lead) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await this.inFlight.add(() => this.post(frame));
  }

  async finish(): Promise<void> {
    try {
      await this.inFlight.drain();
    } finally {
      this.agent.destroy();
      this.model.closeAllConnections();
      await new Promise((resolve) => this.model.close(resolve));
    }
  }

  private async handledByAgent(): Promise<number> {
    const text = await this.get('/metrics');
    return metricSum(text, 'driftwatch_frames_processed_total') + metricSum(text, 'driftwatch_frames_rejected_total');
  }

  private get(path: string): Promise<string> {
    return new Promise((resolve, reject) => {
      request({ host: '127.0.0.1', port: this.port, path, agent: this.agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(Buffer.concat(chunks).toString()));
        response.on('error', reject);
      }).on('error', reject).end();
    });
  }

  private post(frame: SoakFrame): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = request({
        host: '127.0.0.1', port: this.port, method: 'POST', path: '/predict', agent: this.agent,
        headers: { 'content-type': 'image/jpeg', 'content-length': frame.jpeg.length, [PREDICTIONS]: JSON.stringify(frame.predictions) },
      }, (response) => {
        response.resume();
        response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`POST /predict through the proxy answered ${response.statusCode}`))));
        response.on('error', reject);
      });
      req.on('error', reject);
      req.end(frame.jpeg);
    });
  }
}

// Soak feeder for `http:`: POST /frames/<camera> with the JPEG as the body
// and the predictions in X-Driftwatch-Predictions, over keep-alive
// connections, at most `concurrency` requests in flight. A 503 (queue full)
// is retried after a short pause, as a pipeline would.
import { Agent, request } from 'node:http';
import { PREDICTIONS_HEADER } from '../edge/sources/http-source.js';
import { InFlightCalls } from './in-flight-calls.js';
import type { SoakFeeder, SoakFrame } from './soak-feeder.js';

const RETRY_MS = 20;

export class HttpFeeder implements SoakFeeder {
  readonly source = 'http:';
  readonly stdin = false;
  private readonly agent: Agent;
  private port = 0;
  private readonly inFlight: InFlightCalls;

  constructor(private readonly camera: string, concurrency: number) {
    this.inFlight = new InFlightCalls(concurrency);
    this.agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  }

  attach(target: { port: number }): void {
    this.port = target.port;
  }

  send(_sequence: number, frame: SoakFrame): Promise<void> {
    return this.inFlight.add(() => this.deliver(frame));
  }

  async finish(): Promise<void> {
    try {
      await this.inFlight.drain();
    } finally {
      this.agent.destroy();
    }
  }

  private async deliver(frame: SoakFrame): Promise<void> {
    const predictions = JSON.stringify(frame.predictions);
    for (;;) {
      const status = await this.post(frame.jpeg, predictions);
      if (status === 202) return;
      if (status !== 503) throw new Error(`POST /frames/${this.camera} answered ${status}`);
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  private post(body: Buffer, predictions: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = request({
        host: '127.0.0.1', port: this.port, method: 'POST', path: `/frames/${this.camera}`, agent: this.agent,
        headers: { 'content-type': 'image/jpeg', 'content-length': body.length, [PREDICTIONS_HEADER]: predictions },
      }, (response) => {
        response.resume(); // the JSON reply is not needed, but must be read for the socket to be reused
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}

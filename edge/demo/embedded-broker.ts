// The demo's own MQTT broker when none is configured: aedes (in memory) on a
// free 127.0.0.1 port. aedes speaks MQTT 3.1.1 only, so whoever connects to
// it uses protocol version 4. close() ends every client connection and the
// listener.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Aedes } from 'aedes';

export interface EmbeddedBroker {
  url: string;
  port: number;
  /** MQTT protocol version clients must use. */
  protocolVersion: 4;
  close(): Promise<void>;
}

export async function startEmbeddedBroker(host = '127.0.0.1'): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `mqtt://${host}:${port}`,
    port,
    protocolVersion: 4,
    close: () => closing ??= (async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    })(),
  };
}

import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

/** A TCP proxy in front of a database, to take it away and bring it back. */
export interface OutageProxy {
  /** The database URL with the proxy's address in place of the server's. */
  readonly url: string;
  /** Cuts every open connection and refuses new ones, as a database restart does. */
  down(): Promise<void>;
  /** Serves again, on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a loopback proxy forwarding to the host and port of `databaseUrl`. */
export async function startOutageProxy(databaseUrl: string): Promise<OutageProxy> {
  const target = new URL(databaseUrl);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => [client, upstream].forEach((s) => s.destroy()));
      socket.on('close', () => {
        sockets.delete(socket);
        (socket === client ? upstream : client).destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) =>
    new Promise<number>((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  const down = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      sockets.forEach((s) => s.destroy());
    });
  const port = await listen(0);
  const url = new URL(databaseUrl);
  url.host = `127.0.0.1:${port}`;
  return { url: url.toString(), down, up: async () => void (await listen(port)), close: down };
}

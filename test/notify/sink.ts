/**
 * A local HTTP sink for delivery tests: a real node:http server on
 * 127.0.0.1, port 0, that records every request and answers as told.
 */
import { after } from 'node:test';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Decides the answer to the nth request (0-based); may wait before answering. */
export type Responder = (req: Received, n: number) => number | Promise<number>;

export interface Sink {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

export async function sink(respond: Responder = () => 200): Promise<Sink> {
  const received: Received[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      const n = received.length;
      received.push(r);
      open.add(res);
      void Promise.resolve(respond(r, n)).then((status) => {
        open.delete(res);
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 400 ? `sink says ${status}` : 'ok');
      });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | null = null;
  const s: Sink = {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => (closed ??= new Promise<void>((ok) => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      server.close(() => ok());
    })),
  };
  after(() => s.close());
  return s;
}

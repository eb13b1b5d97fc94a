import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pipeline } from './pipeline';
import type { EmulatorResponse } from './response';

export interface ListeningServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the pipeline over plain HTTP on 127.0.0.1 (the SDKs reach it through an https facade). */
export async function listen(pipeline: Pipeline, port: number): Promise<ListeningServer> {
  const server = createServer((req, res) => {
    void serve(pipeline, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${address.port}`, close: () => closeServer(server) };
}

async function serve(pipeline: Pipeline, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const body = await readBody(req);
    const response = await pipeline.handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body, remoteAddress: req.socket.remoteAddress });
    write(res, response);
  } catch (error) {
    // Only reading the socket can fail here: the pipeline turns every handler failure into an answer.
    write(res, { status: 400, body: { error: { code: 'BadRequest', message: error instanceof Error ? error.message : 'Unreadable request.' } } });
  }
}

function write(res: ServerResponse, response: EmulatorResponse): void {
  const payload = response.body === undefined || response.status === 204 ? '' : JSON.stringify(response.body);
  const headers: Record<string, string> = { ...response.headers, 'Content-Length': String(Buffer.byteLength(payload)) };
  const typed = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  if (payload && !typed) headers['Content-Type'] = 'application/json; charset=utf-8';
  res.writeHead(response.status, headers);
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { memoryLogger } from '../support/memoryLogger';
import { teamsMessage } from '../support/captureConnector';

const MB = 1024 * 1024;

/** A JSON activity whose text is `inflatedMb` MB of one letter, gzipped in 1 MB steps so this process never holds it. */
async function gzipBomb(inflatedMb: number): Promise<Buffer> {
  const gzip = zlib.createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  const write = (chunk: Buffer) => new Promise<void>((resolve) => (gzip.write(chunk) ? resolve() : gzip.once('drain', resolve)));
  await write(Buffer.from('{"type":"message","channelId":"msteams","text":"'));
  const block = Buffer.alloc(MB, 'a');
  for (let i = 0; i < inflatedMb; i++) await write(block);
  gzip.end(Buffer.from('"}'));
  await done;
  return Buffer.concat(out);
}

interface Answer {
  status: number;
  body: string;
}

/** A raw request (fetch would refuse some of these headers, and streams need care). */
function request(url: string, options: { method?: string; path?: string; headers?: http.OutgoingHttpHeaders; body?: Buffer | string; chunks?: Buffer[] }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${options.path ?? '/api/messages'}`, { method: options.method ?? 'POST', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    // The server may answer and close before the whole body is sent: that is the point.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    if (options.chunks) {
      for (const c of options.chunks) req.write(c);
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

const JSON_TYPE = { 'content-type': 'application/json' };

describe('limits before parsing on /api/messages', () => {
  let app: RunningApp;
  let dataDir: string;
  const log = memoryLogger();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lgb-limits-'));
    app = await startApp(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir }), { log });
  });

  afterAll(async () => {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Error answers say their status and nothing else: no stack, no URL, no library message. */
  const expectBare = (answer: Answer, status: number) => {
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.body)).toEqual({ error: http.STATUS_CODES[status] });
  };

  it('refuses a 255 KB gzip that inflates to 250 MB without inflating it (RSS grows < 50 MB)', async () => {
    const bomb = await gzipBomb(250);
    expect(bomb.length).toBeLessThan(300 * 1024);
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const started = Date.now();
    const answer = await request(app.server.url, { headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: bomb });
    const elapsed = Date.now() - started;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const growthMb = (peak - before) / MB;
    process.stdout.write(`gzip bomb: ${(bomb.length / 1024).toFixed(0)} KB -> 250 MB; answer ${answer.status} in ${elapsed} ms; RSS ${(before / MB).toFixed(0)} MB -> peak ${(peak / MB).toFixed(0)} MB (+${growthMb.toFixed(1)} MB)\n`);
    expect([413, 415]).toContain(answer.status);
    expectBare(answer, answer.status);
    expect(growthMb).toBeLessThan(50);
  });

  it.each(['gzip', 'deflate', 'br', 'x-gzip, identity'])('answers content-encoding %s with 415', async (encoding) => {
    const body = JSON.stringify(teamsMessage('http://127.0.0.1:9', 'help'));
    expectBare(await request(app.server.url, { headers: { ...JSON_TYPE, 'content-encoding': encoding }, body }), 415);
  });

  it.each([[undefined], ['text/plain'], ['application/x-www-form-urlencoded'], ['multipart/form-data; boundary=x']])(
    'answers content-type %s with 415',
    async (contentType) => {
      const body = JSON.stringify(teamsMessage('http://127.0.0.1:9', 'help'));
      expectBare(await request(app.server.url, { headers: contentType ? { 'content-type': contentType } : {}, body }), 415);
    },
  );

  it('answers a declared body over 1 MB with 413 without reading it', async () => {
    const body = JSON.stringify({ type: 'message', text: 'a'.repeat(MB) });
    expectBare(await request(app.server.url, { headers: JSON_TYPE, body }), 413);
  });

  it('answers a chunked body that passes 1 MB with 413', async () => {
    const chunks = [Buffer.from('{"type":"message","text":"'), ...Array.from({ length: 3 }, () => Buffer.alloc(512 * 1024, 'a')), Buffer.from('"}')];
    expectBare(await request(app.server.url, { headers: { ...JSON_TYPE, 'transfer-encoding': 'chunked' }, chunks }), 413);
  });

  it.each([
    ['malformed JSON', '{"type":"message",'],
    ['a JSON array', '[]'],
    ['a JSON string', '"message"'],
    ['no type', JSON.stringify({ text: 'help', serviceUrl: 'http://127.0.0.1:9' })],
    ['an empty type', JSON.stringify({ type: '', serviceUrl: 'http://127.0.0.1:9' })],
    ['an adaptiveCard/action invoke with value {}', JSON.stringify({ ...teamsMessage('http://127.0.0.1:9', ''), type: 'invoke', name: 'adaptiveCard/action', value: {} })],
    ['an adaptiveCard/action invoke without value', JSON.stringify({ ...teamsMessage('http://127.0.0.1:9', ''), type: 'invoke', name: 'adaptiveCard/action' })],
    [
      'an adaptiveCard/action invoke whose action has no type',
      JSON.stringify({ ...teamsMessage('http://127.0.0.1:9', ''), type: 'invoke', name: 'adaptiveCard/action', value: { action: { verb: 'images.apply' } } }),
    ],
  ])('answers %s with 400 and no internals', async (_name, body) => {
    expectBare(await request(app.server.url, { headers: JSON_TYPE, body }), 400);
  });

  it('reads a body only on POST /api/messages; other paths 404 or 405, bare', async () => {
    const big = Buffer.alloc(2 * MB, 'a');
    expectBare(await request(app.server.url, { path: '/nowhere', headers: JSON_TYPE, body: big }), 404);
    expectBare(await request(app.server.url, { method: 'GET', path: '/api/nowhere/../../etc' }), 404);
    expectBare(await request(app.server.url, { path: '/healthz', headers: JSON_TYPE, body: big }), 405);
    expectBare(await request(app.server.url, { method: 'GET', path: '/api/messages' }), 405);
  });

  it('keeps /healthz cheap while a request is being refused', async () => {
    const bomb = await gzipBomb(20);
    const [refused, health] = await Promise.all([
      request(app.server.url, { headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: bomb }),
      request(app.server.url, { method: 'GET', path: '/healthz' }),
    ]);
    expect(refused.status).toBe(415);
    expect(health.status).toBe(200);
  });
});

import { createHash, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { Duplex } from 'node:stream';

/** A WebSocket opened to listen: text messages go to the callback; the client only ever sends pongs and close. */
export interface WebSocketReader {
  close(): Promise<void>;
}

const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/**
 * Opens a `ws://` URL and calls `onText` with every text message. A minimal RFC 6455 client (no extensions, no
 * compression), because Node 20 has no WebSocket without --experimental-websocket and `ws` is not a dependency.
 */
export function openWebSocketReader(url: string, onText: (text: string) => void, timeoutMs = 5000): Promise<WebSocketReader> {
  const target = new URL(url);
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: target.hostname,
      port: target.port,
      path: `${target.pathname}${target.search}`,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Version': '13' },
      timeout: timeoutMs,
    });
    request.on('timeout', () => request.destroy(new Error(`WebSocket handshake with ${url} timed out`)));
    request.on('error', reject);
    request.on('response', (response) => {
      response.resume();
      reject(new Error(`WebSocket handshake with ${url} answered HTTP ${response.statusCode ?? '?'}`));
    });
    request.on('upgrade', (response, socket, head) => {
      const expected = createHash('sha1').update(key + ACCEPT_GUID).digest('base64');
      if (response.headers['sec-websocket-accept'] !== expected) {
        socket.destroy();
        reject(new Error(`WebSocket handshake with ${url}: bad Sec-WebSocket-Accept`));
        return;
      }
      socket.setTimeout(0);
      resolve(readFrames(socket, head, onText));
    });
    request.end();
  });
}

function readFrames(socket: Duplex, head: Buffer, onText: (text: string) => void): WebSocketReader {
  let buffer = head;
  let fragments: Buffer[] = [];
  let closed = false;
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => socket.destroy());

  const send = (opcode: number, payload: Buffer = Buffer.alloc(0)) => {
    if (socket.destroyed || !socket.writable) return;
    // Clients must mask what they send; control frames carry at most 125 bytes.
    const mask = randomBytes(4);
    const masked = Buffer.from(payload.subarray(0, 125));
    for (let i = 0; i < masked.length; i++) masked[i] = (masked[i] ?? 0) ^ (mask[i % 4] ?? 0);
    socket.write(Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | masked.length]), mask, masked]));
  };

  const consume = () => {
    for (;;) {
      const frame = parseFrame(buffer);
      if (!frame) return;
      buffer = buffer.subarray(frame.length);
      switch (frame.opcode) {
        case OPCODE.text:
        case OPCODE.binary:
        case OPCODE.continuation:
          fragments.push(frame.payload);
          if (frame.fin) {
            const message = Buffer.concat(fragments).toString('utf8');
            fragments = [];
            onText(message);
          }
          break;
        case OPCODE.ping:
          send(OPCODE.pong, frame.payload);
          break;
        case OPCODE.close:
          if (!closed) send(OPCODE.close, frame.payload.subarray(0, 2));
          closed = true;
          socket.end();
          return;
      }
    }
  };
  socket.on('data', (chunk: Buffer) => {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    consume();
  });
  if (buffer.length) consume();

  return {
    async close() {
      if (!closed && !socket.destroyed) {
        closed = true;
        send(OPCODE.close, Buffer.from([0x03, 0xe8]));
        socket.end();
      }
      const timer = setTimeout(() => socket.destroy(), 1000);
      await ended;
      clearTimeout(timer);
    },
  };
}

interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
  /** Bytes the whole frame takes in the stream. */
  length: number;
}

/** The first complete frame in the buffer, or undefined while it is still arriving. */
function parseFrame(buffer: Buffer): Frame | undefined {
  if (buffer.length < 2) return undefined;
  const first = buffer[0] ?? 0;
  const second = buffer[1] ?? 0;
  let offset = 2;
  let size = second & 0x7f;
  if (size === 126) {
    if (buffer.length < 4) return undefined;
    size = buffer.readUInt16BE(2);
    offset = 4;
  } else if (size === 127) {
    if (buffer.length < 10) return undefined;
    size = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  const masked = (second & 0x80) !== 0;
  const mask = masked ? buffer.subarray(offset, offset + 4) : undefined;
  if (masked) offset += 4;
  if (buffer.length < offset + size) return undefined;
  const payload = Buffer.from(buffer.subarray(offset, offset + size));
  if (mask) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
  return { fin: (first & 0x80) !== 0, opcode: first & 0x0f, payload, length: offset + size };
}

import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, destination };
}

describe('logger', () => {
  it('writes JSON and redacts secrets wherever they sit', () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: 'info', format: 'json', destination });
    log.child({ conversationId: 'c1' }).info(
      {
        password: 'p1',
        config: { MicrosoftAppPassword: 'p2', appPassword: 'p3' },
        request: { headers: { authorization: 'Bearer p4' } },
        lab: { adminUser: { username: 'u', password: 'p5' } },
        token: 'p6',
      },
      'hello',
    );
    const out = lines.join('');
    for (const secret of ['p1', 'p2', 'p3', 'Bearer p4', 'p5', 'p6']) expect(out).not.toContain(`"${secret}"`);
    const entry = JSON.parse(out) as Record<string, unknown>;
    expect(entry).toMatchObject({ msg: 'hello', conversationId: 'c1', password: '[redacted]' });
  });
});

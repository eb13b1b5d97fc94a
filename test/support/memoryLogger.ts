import type { Logger } from '../../src/ports/logger';

/** A logger that keeps what it is given, so tests can assert on logs (and on the absence of secrets). */
export function memoryLogger(lines: Record<string, unknown>[] = []): Logger & { lines: Record<string, unknown>[] } {
  const make = (bindings: Record<string, unknown>): Logger & { lines: Record<string, unknown>[] } => {
    const write = (level: string) => (obj: object | string, msg?: string) =>
      lines.push({ level, ...bindings, ...(typeof obj === 'string' ? { msg: obj } : { ...obj, msg }) });
    return {
      lines,
      trace: write('trace'),
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      child: (more) => make({ ...bindings, ...more }),
    };
  };
  return make({});
}

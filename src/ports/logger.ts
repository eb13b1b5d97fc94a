/** The slice of pino that the code uses, so that core code and tests do not depend on pino itself. */
export interface Logger {
  trace(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
  /** pino's; a logger without it counts every level as enabled. */
  isLevelEnabled?(level: string): boolean;
}

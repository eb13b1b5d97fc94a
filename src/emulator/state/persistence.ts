/**
 * The emulator's state on disk, so that the demo's Azure survives a restart: a JSON snapshot of every store,
 * written after requests (debounced) to a temporary file and renamed over the old one, so a crash leaves either
 * the previous snapshot or the new one, never half of one.
 *
 * The snapshot is taken field by field from the stores themselves (their Maps, Sets, tables, counters), so a
 * store that gains a field is saved with no change here. What is not state is skipped: functions, the clock,
 * references from one store to another (each store is saved once, under its own name), and the fields an object
 * lists under SET_UP_AT_START (configuration such as the Marketplace catalogue, set up again at every start; a
 * file that still holds them, from an older version, has them ignored, so this start's configuration wins).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Clock, Timer } from '../../ports/clock';
import type { EmulatorState } from './emulatorState';
import { fieldsSetUpAtStart } from './setUpAtStart';

/** The state file's name in a data folder (the demo bot's DATA_DIR, the standalone emulator's --data-dir). */
export const STATE_FILE_NAME = 'emulator-state.json';

const FORMAT = 'lab-gallery-emulator-state';
const READ_CHANGE_DELAY_MS = 1000;
const VERSION = 1;

export interface StateSnapshot {
  format: typeof FORMAT;
  version: number;
  /** Simulated time when the snapshot was taken: a restarted emulator's clock never goes back before it. */
  savedAt: number;
  stores: Record<string, unknown>;
}

type Encoded = unknown;
type Bag = Record<string, unknown>;

/** Operations in flight are not saved (their callbacks are code): a resource caught mid-write is finished. */
const TRANSITIONAL = new Set(['Creating', 'Updating']);

export function snapshotOf(state: EmulatorState): StateSnapshot {
  const skip = notState(state);
  const stores: Record<string, unknown> = {};
  for (const [name, store] of storesOf(state)) stores[name] = encodeFields(store, skip);
  return { format: FORMAT, version: VERSION, savedAt: state.now(), stores };
}

/** Puts a snapshot's contents into a freshly constructed state (no seed), then settles interrupted writes. */
export function restoreSnapshot(state: EmulatorState, snapshot: StateSnapshot): void {
  const skip = notState(state);
  for (const [name, store] of storesOf(state)) {
    const saved = snapshot.stores[name];
    if (isPlainObject(saved)) restoreFields(store, saved, skip);
  }
  for (const [, store] of storesOf(state)) settleRecords(store, skip, new Set());
}

/** The snapshot in `file`, or undefined when there is none. Throws on a file that is not a snapshot of this format. */
export function readSnapshot(file: string): StateSnapshot | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<StateSnapshot>;
  if (parsed.format !== FORMAT || parsed.version !== VERSION || typeof parsed.savedAt !== 'number' || !isPlainObject(parsed.stores)) {
    throw new Error(`${file} is not an emulator state snapshot (format ${FORMAT} v${VERSION})`);
  }
  return parsed as StateSnapshot;
}

/** A clock that reads as `base` would, but never earlier than `notBefore` (the saved simulated time). */
export function continuingClock(base: Clock, notBefore: number): Clock {
  const offset = Math.max(0, notBefore - base.now());
  if (offset === 0) return base;
  return {
    now: () => base.now() + offset,
    sleep: (ms: number) => base.sleep(ms),
    setTimeout: (callback: () => void, ms: number): Timer => base.setTimeout(callback, ms),
    ...(base.timeScale ? { timeScale: base.timeScale } : {}),
  };
}

export interface SnapshotWriterOptions {
  /** Writes wait this long for more changes. Default 100 ms. */
  debounceMs?: number;
  onError?: (error: unknown) => void;
}

/** Writes `take()` to `file` after changes, at most one write at a time, the last change always written. */
export class SnapshotWriter {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private due = 0;
  private writing: Promise<void> | undefined;
  private dirty = false;
  private readonly debounceMs: number;

  constructor(
    private readonly file: string,
    private readonly take: () => StateSnapshot,
    private readonly options: SnapshotWriterOptions = {},
  ) {
    this.debounceMs = options.debounceMs ?? 100;
    mkdirSync(path.dirname(file), { recursive: true });
  }

  /** Synchronously, now (the first snapshot of a fresh seed). */
  writeNow(): void {
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(this.take()));
    renameSync(temp, this.file);
  }

  /**
   * A change to save: after the debounce, or (`soon` false: a read, which changes state only when it moves an
   * operation on) within a second, so that a busy poller does not rewrite the file ten times a second.
   */
  changed(soon = true): void {
    this.dirty = true;
    const due = Date.now() + (soon ? this.debounceMs : Math.max(this.debounceMs, READ_CHANGE_DELAY_MS));
    if (this.timer && this.due <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.due = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, due - Date.now());
    this.timer.unref?.();
  }

  /** Writes pending changes (waiting for a write in progress first). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.writing) await this.writing;
    if (!this.dirty) return;
    this.dirty = false;
    const temp = `${this.file}.${process.pid}.tmp`;
    const json = JSON.stringify(this.take());
    this.writing = writeFile(temp, json)
      .then(() => rename(temp, this.file))
      .catch((error: unknown) => {
        this.dirty = true;
        this.options.onError?.(error);
      })
      .finally(() => {
        this.writing = undefined;
      });
    await this.writing;
  }
}

function storesOf(state: EmulatorState): [string, object][] {
  return Object.entries(state as unknown as Bag).filter((entry): entry is [string, object] => {
    const value = entry[1];
    // The caller's permissions are configuration (DEMO_BOT_MISSING_PERMISSION), read afresh at every start.
    return typeof value === 'object' && value !== null && value !== state.clock && value !== state.caller && !isPlainObject(value);
  });
}

/** The objects saved elsewhere or not at all: the stores themselves (as seen from another store) and the clock. */
function notState(state: EmulatorState): Set<unknown> {
  return new Set<unknown>([state, state.clock, state.caller, ...storesOf(state).map(([, store]) => store)]);
}

function encodeFields(instance: object, skip: Set<unknown>): Bag {
  const out: Bag = {};
  const configuration = fieldsSetUpAtStart(instance);
  for (const [key, value] of Object.entries(instance as Bag)) {
    if (typeof value === 'function' || (skip.has(value) && value !== instance) || configuration.has(key)) continue;
    out[key] = encode(value, skip);
  }
  return out;
}

function encode(value: unknown, skip: Set<unknown>): Encoded {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Map) return { $map: [...value.entries()].map(([k, v]) => [encode(k, skip), encode(v, skip)]) };
  if (value instanceof Set) return { $set: [...value].map((v) => encode(v, skip)) };
  if (Array.isArray(value)) return value.map((v) => encode(v, skip));
  if (isPlainObject(value)) {
    const out: Bag = {};
    for (const [k, v] of Object.entries(value)) if (typeof v !== 'function') out[k] = encode(v, skip);
    return out;
  }
  return { $instance: encodeFields(value, skip) };
}

/** A plain value from its encoding (class instances have no plain form: they are restored in place). */
function decode(value: Encoded): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decode);
  const bag = value as Bag;
  if (Array.isArray(bag.$map)) return new Map((bag.$map as [Encoded, Encoded][]).map(([k, v]) => [decode(k), decode(v)]));
  if (Array.isArray(bag.$set)) return new Set((bag.$set as Encoded[]).map(decode));
  const out: Bag = {};
  for (const [k, v] of Object.entries(bag)) out[k] = decode(v);
  return out;
}

/** Fills an existing instance's fields in place (they may be readonly references to containers). */
function restoreFields(instance: object, saved: Bag, skip: Set<unknown>): void {
  const target = instance as Bag;
  const configuration = fieldsSetUpAtStart(instance);
  for (const [key, encoded] of Object.entries(saved)) {
    const current = target[key];
    if (typeof current === 'function' || (skip.has(current) && current !== instance) || configuration.has(key)) continue;
    const wrapped = encoded as Bag | null;
    if (current instanceof Map) {
      current.clear();
      for (const [k, v] of decode(encoded) as Map<unknown, unknown>) current.set(k, v);
    } else if (current instanceof Set) {
      current.clear();
      for (const v of decode(encoded) as Set<unknown>) current.add(v);
    } else if (Array.isArray(current) && Array.isArray(encoded)) {
      current.splice(0, current.length, ...(decode(encoded) as unknown[]));
    } else if (current !== null && typeof current === 'object' && !isPlainObject(current) && wrapped && isPlainObject(wrapped.$instance)) {
      restoreFields(current, wrapped.$instance as Bag, skip);
    } else {
      target[key] = decode(encoded);
    }
  }
}

/** Records (plain objects kept in a store's Maps, at any depth of its instances) caught Creating/Updating become Succeeded. */
function settleRecords(instance: object, skip: Set<unknown>, seen: Set<object>): void {
  if (seen.has(instance)) return;
  seen.add(instance);
  const configuration = fieldsSetUpAtStart(instance);
  for (const [key, value] of Object.entries(instance as Bag)) {
    if (value === null || typeof value !== 'object' || (skip.has(value) && value !== instance) || configuration.has(key)) continue;
    if (value instanceof Map) {
      for (const record of value.values()) settle(record);
    } else if (!isPlainObject(value) && !Array.isArray(value) && !(value instanceof Set)) {
      settleRecords(value, skip, seen);
    }
  }
}

function settle(record: unknown): void {
  if (!isPlainObject(record)) return;
  const bag = record as Bag;
  if (typeof bag.provisioningState === 'string' && TRANSITIONAL.has(bag.provisioningState)) bag.provisioningState = 'Succeeded';
}

function isPlainObject(value: unknown): value is Bag {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Clock } from '../ports/clock';

/** A file the bot made for someone (an inventory CSV), kept on disk until it expires. */
export interface ShelvedFile {
  id: string;
  name: string;
  path: string;
  sizeInBytes: number;
  /** Entra object id of the person it was made for: only they may accept its consent card. */
  ownerId: string;
  expiresAt: number;
}

const DEFAULT_TTL_MS = 30 * 60_000;

/**
 * Files waiting to be fetched: written to a private temporary folder as a stream (never whole in memory), handed
 * out through Teams' file consent card or a signed, expiring download link, and deleted when they expire or at
 * close. The folder is made on first use. The signing key is random per process: a restart voids old links.
 */
export class FileShelf {
  private readonly files = new Map<string, ShelvedFile>();
  private readonly key = randomBytes(32);
  private dir: string | undefined;
  /** Where the bot is reachable, for download links (set once the server listens). */
  baseUrl = '';

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = DEFAULT_TTL_MS,
  ) {}

  /** Writes a new file line by line through `fill`, waiting on the disk when it lags; resolves once it is closed. */
  async store<T>(name: string, ownerId: string, fill: (write: (chunk: string) => Promise<void>) => Promise<T>): Promise<{ file: ShelvedFile; result: T }> {
    this.prune();
    const id = randomUUID();
    const filePath = path.join(this.folder(), `${id}.part`);
    const out = fs.createWriteStream(filePath, { flags: 'wx', mode: 0o600 });
    const failed = new Promise<never>((_, reject) => out.once('error', reject));
    failed.catch(() => undefined);
    const write = (chunk: string) => (out.write(chunk) ? Promise.resolve() : Promise.race([new Promise<void>((resolve) => out.once('drain', resolve)), failed]));
    let result: T;
    try {
      result = await fill(write);
      await Promise.race([new Promise<void>((resolve) => out.end(resolve)), failed]);
    } catch (error) {
      out.destroy();
      fs.rmSync(filePath, { force: true });
      throw error;
    }
    const file: ShelvedFile = { id, name, path: filePath, sizeInBytes: fs.statSync(filePath).size, ownerId, expiresAt: this.clock.now() + this.ttlMs };
    this.files.set(id, file);
    return { file, result };
  }

  get(id: string): ShelvedFile | undefined {
    const file = this.files.get(id);
    if (file && file.expiresAt < this.clock.now()) {
      this.remove(id);
      return undefined;
    }
    return file;
  }

  remove(id: string): void {
    const file = this.files.get(id);
    this.files.delete(id);
    if (file) fs.rmSync(file.path, { force: true });
  }

  /** Whole minutes before the file expires (at least 1 while it is kept). */
  minutesLeft(id: string): number {
    const file = this.files.get(id);
    return file ? Math.max(1, Math.round((file.expiresAt - this.clock.now()) / 60_000)) : 0;
  }

  /** A download link that works until the file expires, for anyone holding it. */
  link(id: string): string {
    const file = this.files.get(id);
    const expires = file?.expiresAt ?? 0;
    return `${this.baseUrl}/files/${id}?exp=${expires}&sig=${this.sign(id, expires)}`;
  }

  /** The file a link names, if its signature holds and it has not expired. */
  verify(id: string, exp: string, sig: string): ShelvedFile | undefined {
    const expires = Number(exp);
    if (!Number.isFinite(expires) || expires < this.clock.now()) return undefined;
    const expected = Buffer.from(this.sign(id, expires));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    const file = this.get(id);
    return file && file.expiresAt === expires ? file : undefined;
  }

  /** Deletes every file and the folder. */
  close(): void {
    this.files.clear();
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  private sign(id: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${id}.${expires}`).digest('base64url');
  }

  private folder(): string {
    this.dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'lab-gallery-files-'));
    return this.dir;
  }

  private prune(): void {
    const now = this.clock.now();
    for (const file of [...this.files.values()]) if (file.expiresAt < now) this.remove(file.id);
  }
}

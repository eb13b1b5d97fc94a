import { createHash } from 'node:crypto';
import type { ImageView } from '../core/imageService';

/**
 * Toggles an admin changed but did not apply yet, carried from page to page in the card's action data.
 * Card data allows short strings only, and every button repeats it: so the changes travel as positions in
 * the host's image list (`3+.1h-`: enable the 4th, disable the 54th), with a tag of that list. When the list
 * changed meanwhile, the positions mean nothing any more: the changes are dropped and the card says so.
 */

/** The most changes that may wait on other pages: 40 of the longest entries still fit one card string. */
export const MAX_CARRIED_CHANGES = 40;

const ENTRY = /^([0-9a-z]{1,3})([+-])$/;
const TAG = /^[0-9a-f]{10}$/;

/** The carried changes as the card wrote them: untrusted until checked against the image list. */
export interface CarriedChanges {
  /** Entries `<base-36 position><+|->` joined by dots. */
  code: string;
  /** listTag of the list the positions refer to. */
  tag: string;
}

/** What the view is asked to show as not applied yet. */
export interface ChangeSet {
  carried?: CarriedChanges;
  /** The current page's toggles as the client sent them, by image name (any case). */
  toggles?: Readonly<Record<string, boolean>>;
  /** Images a bulk change just set: whatever was pending for them is void. */
  forget?: readonly string[];
}

export interface PendingChanges {
  /** Wanted state by lowercase image name, only where it differs from Azure's. */
  pending: Map<string, boolean>;
  /** Carried changes dropped because the image list changed. */
  lost: number;
}

/** Whether a carried code has the shape the card writes: at most MAX_CARRIED_CHANGES entries. */
export function isCarriedCode(code: string): boolean {
  if (code === '') return true;
  const entries = code.split('.');
  return entries.length <= MAX_CARRIED_CHANGES && entries.every((e) => ENTRY.test(e));
}

export const isListTag = (tag: string): boolean => TAG.test(tag);

/** A short digest of the image names in the host's order: positions are valid while it stays the same. */
export function listTag(images: readonly ImageView[]): string {
  return digestOf(images.map((i) => i.name.toLowerCase()).join('\n'));
}

/** A short digest of a set of names, whatever their order and case. */
export function namesDigest(names: readonly string[]): string {
  return digestOf([...new Set(names.map((n) => n.toLowerCase()))].sort().join('\n'));
}

function digestOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}

/** The changes still pending against Azure's current state: carried ones first, the page's toggles over them. */
export function pendingChanges(images: readonly ImageView[], changes: ChangeSet = {}): PendingChanges {
  const byName = new Map(images.map((i) => [i.name.toLowerCase(), i]));
  const wanted = new Map<string, boolean>();
  let lost = 0;
  const { carried } = changes;
  if (carried && carried.code !== '') {
    const entries = carried.code.split('.');
    if (carried.tag !== listTag(images)) lost = entries.length;
    else {
      for (const entry of entries) {
        const m = ENTRY.exec(entry);
        const image = m ? images[parseInt(m[1]!, 36)] : undefined;
        if (image) wanted.set(image.name.toLowerCase(), m![2] === '+');
      }
    }
  }
  for (const name of changes.forget ?? []) wanted.delete(name.toLowerCase());
  for (const [name, on] of Object.entries(changes.toggles ?? {})) wanted.set(name.trim().toLowerCase(), on);
  const pending = new Map([...wanted].filter(([name, on]) => byName.has(name) && byName.get(name)!.enabled !== on));
  return { pending, lost };
}

/** The changes to carry, leaving out the names the card shows as toggles (the client sends those itself). */
export function encodeChanges(images: readonly ImageView[], pending: ReadonlyMap<string, boolean>, onPage: ReadonlySet<string>): CarriedChanges | undefined {
  const entries: string[] = [];
  images.forEach((image, i) => {
    const name = image.name.toLowerCase();
    const on = pending.get(name);
    if (on !== undefined && !onPage.has(name)) entries.push(`${i.toString(36)}${on ? '+' : '-'}`);
  });
  return entries.length > 0 ? { code: entries.join('.'), tag: listTag(images) } : undefined;
}

import { hasRole, type Role } from '../ports/accessPolicy';
import type { Command } from './types';

export type Match<S> =
  | { kind: 'empty' }
  | { kind: 'unknown'; word: string; suggestion?: Suggestion<S> }
  | { kind: 'command'; command: Command<S>; args: string };

/** A command word close to an unknown one, and the text with that word put right. */
export interface Suggestion<S> {
  command: Command<S>;
  text: string;
}

/**
 * Matches the first word of already-normalised text against command ids and aliases, ignoring case, accents
 * and a leading slash ("/help", "État"). Nothing else in the text is looked at: "please detach" is the unknown
 * word "please". An unknown word close to a command word (a typo: "imgaes", "detatch") carries a suggestion.
 */
export class CommandRegistry<S> {
  private readonly byWord = new Map<string, Command<S>>();

  constructor(readonly commands: readonly Command<S>[]) {
    for (const command of commands) {
      for (const word of [command.id, ...command.aliases]) {
        const key = word.toLowerCase();
        if (!/^[a-z][a-z0-9-]*$/.test(key)) throw new Error(`command word "${word}" must be one lowercase word`);
        const taken = this.byWord.get(key);
        if (taken) throw new Error(`command word "${key}" is used by both "${taken.id}" and "${command.id}"`);
        this.byWord.set(key, command);
      }
    }
  }

  match(text: string): Match<S> {
    const trimmed = text.trim();
    if (!trimmed) return { kind: 'empty' };
    const space = trimmed.search(/\s/);
    const word = space < 0 ? trimmed : trimmed.slice(0, space);
    const args = space < 0 ? '' : trimmed.slice(space + 1).trim();
    const key = commandWord(word);
    const command = this.byWord.get(key);
    if (command) return { kind: 'command', command, args };
    const close = this.closest(key);
    return close ? { kind: 'unknown', word, suggestion: { command: close.command, text: `${close.word} ${args}`.trim() } } : { kind: 'unknown', word };
  }

  /** The command whose word is within a typo or two of this one (one edit per four letters), if exactly one is. */
  private closest(word: string): { command: Command<S>; word: string } | undefined {
    const budget = Math.min(2, Math.floor(word.length / 4));
    if (budget === 0) return undefined;
    let best: { command: Command<S>; word: string; distance: number } | undefined;
    let tie = false;
    for (const [candidate, command] of this.byWord) {
      const distance = editDistance(word, candidate, budget);
      if (distance > budget) continue;
      if (!best || distance < best.distance) {
        best = { command, word: candidate, distance };
        tie = false;
      } else if (distance === best.distance && best.command !== command) tie = true;
    }
    return best && !tie ? best : undefined;
  }

  get(id: string): Command<S> | undefined {
    return this.byWord.get(id.toLowerCase());
  }

  /** What help lists: commands the role allows, and in an unbound conversation those that check their target. */
  visibleTo(role: Role, bound: boolean): Command<S>[] {
    return this.commands.filter((c) => allows(c, role, bound));
  }
}

/** A typed command word as the registry keys it: lower case, no accents, no leading slash. */
export function commandWord(word: string): string {
  return word.replace(/^\//, '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Optimal-string-alignment distance (insertions, deletions, substitutions, adjacent swaps), stopping early
 * once every alignment exceeds `limit`.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    if (Math.min(...row) > limit) return limit + 1;
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

export function allows<S>(command: Command<S>, role: Role, bound: boolean): boolean {
  return hasRole(role, command.role) || (!bound && command.authorizesTarget);
}

import { hasRole, type Role } from '../ports/accessPolicy';
import type { Command } from './types';

export type Match<S> =
  | { kind: 'empty' }
  | { kind: 'unknown'; word: string }
  | { kind: 'command'; command: Command<S>; args: string };

/**
 * Matches the first word of already-normalised text against command ids and aliases, case-insensitively.
 * Nothing else in the text is looked at: "please detach" is the unknown word "please".
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
    const command = this.byWord.get(word.toLowerCase());
    return command ? { kind: 'command', command, args } : { kind: 'unknown', word };
  }

  get(id: string): Command<S> | undefined {
    return this.byWord.get(id.toLowerCase());
  }

  /** What help lists: commands the role allows, and in an unbound conversation those that check their target. */
  visibleTo(role: Role, bound: boolean): Command<S>[] {
    return this.commands.filter((c) => allows(c, role, bound));
  }
}

export function allows<S>(command: Command<S>, role: Role, bound: boolean): boolean {
  return hasRole(role, command.role) || (!bound && command.authorizesTarget);
}

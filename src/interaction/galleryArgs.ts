import type { AttachArgs, CreateGalleryArgs, ReplicateArgs } from './dialogs';

const words = (text: string): string[] => text.trim().split(/\s+/).filter(Boolean);

/** `attach [<gallery name or id>]`: the rest of the line, as typed. */
export function parseAttachArgs(args: string): AttachArgs {
  return args ? { gallery: args } : {};
}

/**
 * `[gallery] <name> [in|dans <resource group>] [at|à|a <region>]`, in any order after the name. Also reads a
 * name typed in answer to the create dialog's question. Every other word belongs to the name, so that
 * "Bad Name!" is checked (and refused) whole instead of quietly becoming "Bad".
 */
export function parseCreateArgs(args: string): CreateGalleryArgs {
  const list = words(args);
  if (list[0]?.toLowerCase() === 'gallery') list.shift();
  const out: CreateGalleryArgs = {};
  for (let i = 0; i < list.length; i++) {
    const word = list[i] ?? '';
    const next = list[i + 1];
    if (/^(in|dans)$/i.test(word) && next) {
      out.resourceGroup = next;
      i++;
    } else if (/^(at|à|a)$/i.test(word) && next) {
      out.location = next.toLowerCase();
      i++;
    } else out.name = out.name ? `${out.name} ${word}` : word;
  }
  return out;
}

/** `replicate <image> [<version>]`; a missing image is the dialog's to report (`replicate.missingImage`). */
export function parseReplicateArgs(args: string): ReplicateArgs {
  const [image = '', version] = words(args);
  return version ? { image, version } : { image };
}

/** Words that give up whatever prompt is pending, in either language: "cancel", "no", "stop", "annuler"… */
const CANCEL_WORDS = new Set(['cancel', 'no', 'stop', 'quit', 'abort', 'nevermind', 'annuler', 'annule', 'non', 'arrete', 'arreter', 'abandonner']);

export function isCancelWord(text: string): boolean {
  const word = text.trim().toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/[.!]+$/, '');
  return CANCEL_WORDS.has(word);
}

/** The same words for the confirmation prompt's "no" (its recogniser knows yes/no, not "cancel" or "annuler"). */
export const CANCEL_SYNONYMS: readonly string[] = [...CANCEL_WORDS];

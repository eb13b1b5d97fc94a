/**
 * cards/: Adaptive Card templates with their typed data models, and the one render function over them.
 */
import { Template } from 'adaptivecards-templating';
import type { AdaptiveCard } from '../ports/notifier';

/** A card template bound to the data model it expects. */
export interface CardTemplate<T extends object> {
  readonly name: string;
  readonly json: object;
  /** Parsed once on first use: parsing costs ten times what an expansion does (bench/turn). */
  compiled(): Template;
  /** Phantom field: carries T so that renderCard can check the data at compile time. */
  readonly model?: T;
}

const CARD_VERSION = '1.5';
/** Teams refuses messages over about 28 KB; cards stay under it. */
export const MAX_CARD_BYTES = 28 * 1024;

export function defineTemplate<T extends object>(name: string, json: object): CardTemplate<T> {
  let template: Template | undefined;
  return { name, json, compiled: () => (template ??= new Template(json)) };
}

export function renderCard<T extends object>(template: CardTemplate<T>, data: T): AdaptiveCard {
  const expanded: unknown = template.compiled().expand({ $root: data });
  if (!isCard(expanded)) throw new Error(`card template ${template.name} did not expand to an AdaptiveCard`);
  const { $schema: _schema, ...card } = expanded;
  return { ...card, version: CARD_VERSION };
}

export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

function isCard(value: unknown): value is AdaptiveCard & { $schema?: string } {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'AdaptiveCard';
}

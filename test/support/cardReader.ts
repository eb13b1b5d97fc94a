/**
 * Reading Adaptive Cards as a user sees them and pressing their buttons as a client would: the texts shown, the
 * facts, the inputs with their values, and the data an action sends (its data merged with the card's inputs).
 */

export type CardJson = Record<string, unknown>;

export interface CardAction {
  type: 'Action.Execute' | 'Action.Submit' | string;
  title?: string;
  verb?: string;
  data?: Record<string, unknown>;
  associatedInputs?: string;
}

export interface ActionSelector {
  verb?: string;
  title?: string;
  /** Every key given must be in the action's data with this value. */
  data?: Record<string, unknown>;
  where?: (action: CardAction) => boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const arrayAt = (element: Record<string, unknown>, key: string): Record<string, unknown>[] => {
  const value = element[key];
  return Array.isArray(value) ? value.filter(isRecord) : [];
};

/** Every element of the card body, depth first (containers, columns, action sets included). */
export function cardElements(card: CardJson): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (list: Record<string, unknown>[]) => {
    for (const element of list) {
      out.push(element);
      walk(arrayAt(element, 'items'));
      walk(arrayAt(element, 'columns'));
    }
  };
  walk(arrayAt(card, 'body'));
  return out;
}

/** The card's buttons: those in action sets of the body, then the card's own actions (not its refresh action). */
export function cardActions(card: CardJson): CardAction[] {
  const inBody = cardElements(card).filter((e) => e.type === 'ActionSet').flatMap((e) => arrayAt(e, 'actions'));
  return [...inBody, ...arrayAt(card, 'actions')].map((a) => a as unknown as CardAction);
}

/** What the card shows as text: text blocks, facts as "title: value", input labels and button titles. */
export function cardTexts(card: CardJson): string[] {
  const texts: string[] = [];
  for (const element of cardElements(card)) {
    if (element.type === 'TextBlock' && typeof element.text === 'string') texts.push(element.text);
    if (element.type === 'FactSet') for (const fact of arrayAt(element, 'facts')) texts.push(`${String(fact.title)}: ${String(fact.value)}`);
    if (typeof element.type === 'string' && element.type.startsWith('Input.')) {
      for (const key of ['label', 'title']) if (typeof element[key] === 'string') texts.push(element[key]);
    }
  }
  for (const action of cardActions(card)) if (action.title) texts.push(action.title);
  return texts;
}

/** The card's facts by title (every FactSet). */
export function cardFacts(card: CardJson): Record<string, string> {
  const facts: Record<string, string> = {};
  for (const element of cardElements(card).filter((e) => e.type === 'FactSet')) {
    for (const fact of arrayAt(element, 'facts')) facts[String(fact.title)] = String(fact.value);
  }
  return facts;
}

/**
 * The card's inputs by id with the value a client starts with: a toggle's `value` (else `valueOff`, else "false"),
 * any other input's `value`; inputs with no value are left out, as a client leaves out unset inputs.
 */
export function cardInputs(card: CardJson): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const element of cardElements(card)) {
    if (typeof element.type !== 'string' || !element.type.startsWith('Input.') || typeof element.id !== 'string') continue;
    const value = element.type === 'Input.Toggle' ? (element.value ?? element.valueOff ?? 'false') : element.value;
    if (value !== undefined && value !== null && value !== '') inputs[element.id] = String(value);
  }
  return inputs;
}

/** The one button matching the selector; throws, listing the buttons there are, when none or several match. */
export function findCardAction(card: CardJson, selector: ActionSelector): CardAction {
  const matches = cardActions(card).filter(
    (a) =>
      (selector.verb === undefined || a.verb === selector.verb) &&
      (selector.title === undefined || a.title === selector.title) &&
      Object.entries(selector.data ?? {}).every(([key, value]) => a.data?.[key] === value) &&
      (selector.where === undefined || selector.where(a)),
  );
  if (matches.length === 1 && matches[0]) return matches[0];
  const offered = cardActions(card)
    .map((a) => `${a.type} "${a.title ?? ''}" ${a.verb ?? ''} ${JSON.stringify(a.data ?? {})}`)
    .join('\n  ');
  throw new Error(`${matches.length} buttons match ${JSON.stringify({ ...selector, where: selector.where ? 'a predicate' : undefined })}; the card has:\n  ${offered}`);
}

/**
 * What a client sends for a button: its data, then the card's inputs over it (values as strings, as the Adaptive
 * Cards SDK does), then what the test typed or toggled. `associatedInputs: "none"` sends the data alone.
 */
export function actionPayload(card: CardJson, action: CardAction, typed: Readonly<Record<string, string>> = {}): Record<string, unknown> {
  const ids = new Set(cardElements(card).filter((e) => typeof e.type === 'string' && e.type.startsWith('Input.')).map((e) => e.id));
  const unknown = Object.keys(typed).filter((id) => !ids.has(id));
  if (unknown.length) throw new Error(`the card has no input ${unknown.join(', ')}`);
  if (action.associatedInputs?.toLowerCase() === 'none') return { ...(action.data ?? {}) };
  const inputs = Object.entries({ ...cardInputs(card), ...typed }).filter(([, value]) => value !== '');
  return { ...(action.data ?? {}), ...Object.fromEntries(inputs) };
}

/** The command words the help card lists (its FactSets' titles), in card order. */
export function helpCardCommands(card: CardJson): string[] {
  return cardElements(card)
    .filter((e) => e.type === 'FactSet')
    .flatMap((e) => arrayAt(e, 'facts'))
    .map((f) => String(f.title).split(' ')[0] ?? '');
}

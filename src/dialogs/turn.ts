import type { TurnContext } from 'botbuilder';

const CORRELATION = 'lgb.correlationId';

/** The bot edge records each turn's correlation id here; dialogs read it for journal and audit entries. */
export function setTurnCorrelationId(context: TurnContext, id: string): void {
  context.turnState.set(CORRELATION, id);
}

export function turnCorrelationId(context: TurnContext): string {
  return (context.turnState.get(CORRELATION) as string | undefined) ?? 'none';
}

/** Who is acting: the Entra object id when the channel gives one, else the channel's user id. */
export function actingUser(context: TurnContext): string {
  return context.activity.from.aadObjectId ?? context.activity.from.id;
}

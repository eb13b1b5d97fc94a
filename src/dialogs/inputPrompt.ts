import { Prompt, type PromptOptions, type PromptRecognizerResult } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';

/** What a user answered: typed text, or the data of a card's Action.Submit. */
export interface Input {
  text: string;
  value?: Readonly<Record<string, unknown>>;
}

/** A prompt that accepts either typed text or a card submission, so a choice card and typing both work. */
export class InputPrompt extends Prompt<Input> {
  constructor(dialogId: string) {
    super(dialogId);
  }

  protected async onPrompt(context: TurnContext, _state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    const prompt = isRetry && options.retryPrompt ? options.retryPrompt : options.prompt;
    if (prompt) await context.sendActivity(prompt);
  }

  protected async onRecognize(context: TurnContext): Promise<PromptRecognizerResult<Input>> {
    const { text, value } = context.activity;
    const data = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    const typed = typeof text === 'string' ? text.trim() : '';
    if (!typed && !data) return { succeeded: false };
    return { succeeded: true, value: { text: typed, ...(data ? { value: data } : {}) } };
  }
}

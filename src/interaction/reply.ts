import type { OutgoingMessage } from '../ports/notifier';

/** A text or a card; `summary` is what notifications and clients that cannot render cards show. */
export type Reply = OutgoingMessage;

export const textReply = (text: string): Reply => ({ kind: 'text', text });

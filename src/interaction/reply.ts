import type { OutgoingMessage } from '../ports/notifier';

/** A text or a card; `summary` is what notifications and clients that cannot render cards show. */
export type Reply = OutgoingMessage;

export const textReply = (text: string): Reply => ({ kind: 'text', text });

/** A file made for the requester: the edge offers it (Teams' file consent card, or a signed download link). */
export interface FileOffer {
  fileId: string;
  name: string;
  sizeInBytes: number;
  description: string;
}

/** A reply that comes with a file: `summary` is posted where the command was typed, the file goes to the requester. */
export interface FileReply {
  kind: 'file';
  summary: Reply;
  file: FileOffer;
}

import * as fs from 'node:fs';
import { Readable } from 'node:stream';
import { ActivityTypes, CloudAdapterBase, type Activity, type ConversationParameters, type FileConsentCardResponse, type TurnContext } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import type { FileShelf } from '../core/fileShelf';
import type { Translator } from '../i18n/catalog';
import type { FileOffer, FileReply } from '../interaction';
import type { Logger } from '../ports/logger';
import { toActivity } from './replies';
import { tenantOf } from './turnState';

export interface FileDeliveryDeps {
  shelf: FileShelf;
  /** `consent`: Teams' file consent card, the file uploaded to the user's OneDrive on accept. `link`: a signed, expiring download link. */
  delivery: 'consent' | 'link';
  /** The bot's app id, for opening the requester's personal chat from a channel. */
  appId?: string;
}

const FILE_CONSENT = 'application/vnd.microsoft.teams.card.file.consent';
const FILE_INFO = 'application/vnd.microsoft.teams.card.file.info';

/**
 * A file for the requester: the summary where it was asked; the file itself only in their personal chat (a channel
 * would show it, or its link, to everyone), through a new 1:1 conversation when asked elsewhere.
 */
export async function deliverFile(context: TurnContext, reply: FileReply, deps: FileDeliveryDeps, t: Translator, log: Logger): Promise<void> {
  await context.sendActivity(toActivity(reply.summary));
  const offer = offerActivity(reply.file, deps, t);
  if (context.activity.conversation.conversationType === 'personal') {
    await context.sendActivity(offer);
    return;
  }
  try {
    await sendToPersonalChat(context, offer, deps);
    await context.sendActivity(toActivity({ kind: 'text', text: t('inventory.sentToPersonal') }));
  } catch (error) {
    log.warn({ err: error }, 'could not open the personal chat for a file');
    deps.shelf.remove(reply.file.fileId);
    await context.sendActivity(toActivity({ kind: 'text', text: t('inventory.personalUnreachable') }));
  }
}

function offerActivity(file: FileOffer, deps: FileDeliveryDeps, t: Translator): Partial<Activity> {
  if (deps.delivery === 'link') {
    const minutes = deps.shelf.minutesLeft(file.fileId);
    const text = t('inventory.download', { name: file.name, url: deps.shelf.link(file.fileId), size: Math.max(1, Math.round(file.sizeInBytes / 1024)), minutes });
    return { type: ActivityTypes.Message, text, textFormat: 'markdown' };
  }
  const context = { fileId: file.fileId };
  return {
    type: ActivityTypes.Message,
    attachments: [{ contentType: FILE_CONSENT, name: file.name, content: { description: file.description, sizeInBytes: file.sizeInBytes, acceptContext: context, declineContext: context } }],
  };
}

/** Teams (and the Agents Playground) open a 1:1 conversation with the user through the connector. */
async function sendToPersonalChat(context: TurnContext, activity: Partial<Activity>, deps: FileDeliveryDeps): Promise<void> {
  const { adapter } = context;
  if (!(adapter instanceof CloudAdapterBase)) throw new Error('this adapter cannot open conversations');
  const a = context.activity;
  const tenantId = tenantOf(context);
  const parameters: ConversationParameters = {
    isGroup: false,
    bot: a.recipient,
    members: [a.from],
    channelData: tenantId ? { tenant: { id: tenantId } } : {},
    ...(tenantId ? { tenantId } : {}),
  };
  await adapter.createConversationAsync(deps.appId ?? '', a.channelId, a.serviceUrl, AuthenticationConstants.ToChannelFromBotOAuthScope, parameters, async (personal) => {
    await personal.sendActivity(activity);
  });
}

/**
 * The user accepted a file consent card: the file is uploaded to the URL Teams gave (the user's OneDrive), in one
 * PUT streamed from disk, then shown as a file card. Only the person it was made for may accept it.
 */
export async function acceptFile(context: TurnContext, response: FileConsentCardResponse, deps: FileDeliveryDeps, t: Translator, log: Logger): Promise<void> {
  const fileId = String((response.context as { fileId?: unknown } | undefined)?.fileId ?? '');
  const file = deps.shelf.get(fileId);
  const upload = response.uploadInfo;
  if (!file || !upload?.uploadUrl) {
    await context.sendActivity(t('inventory.expired'));
    return;
  }
  if (file.ownerId.toLowerCase() !== String(context.activity.from.aadObjectId ?? '').toLowerCase()) {
    await context.sendActivity(t('inventory.notYours'));
    return;
  }
  const size = file.sizeInBytes;
  const body = Readable.toWeb(fs.createReadStream(file.path)) as ReadableStream<Uint8Array>;
  const init: RequestInit & { duplex: 'half' } = {
    method: 'PUT',
    headers: { 'content-length': String(size), 'content-range': `bytes 0-${Math.max(0, size - 1)}/${size}` },
    body,
    duplex: 'half',
  };
  const answer = await fetch(upload.uploadUrl, init).catch((error: unknown) => {
    log.warn({ err: error }, 'file upload failed');
    return undefined;
  });
  if (!answer?.ok) {
    log.warn({ status: answer?.status }, 'file upload refused');
    await context.sendActivity(t('inventory.uploadFailed'));
    return;
  }
  deps.shelf.remove(file.id);
  await context.sendActivity({
    type: ActivityTypes.Message,
    text: t('inventory.uploaded'),
    attachments: [{ contentType: FILE_INFO, contentUrl: upload.contentUrl, name: upload.name ?? file.name, content: { uniqueId: upload.uniqueId, fileType: upload.fileType ?? 'csv' } }],
  });
}

export async function declineFile(context: TurnContext, response: FileConsentCardResponse, deps: FileDeliveryDeps, t: Translator): Promise<void> {
  const fileId = String((response.context as { fileId?: unknown } | undefined)?.fileId ?? '');
  const file = deps.shelf.get(fileId);
  if (file && file.ownerId.toLowerCase() === String(context.activity.from.aadObjectId ?? '').toLowerCase()) deps.shelf.remove(fileId);
  await context.sendActivity(t('inventory.declined'));
}

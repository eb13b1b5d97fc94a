import helpJson from '../../cards/help.json';
import commandButtonsJson from '../../cards/commandButtons.json';
import statusJson from '../../cards/status.json';
import galleryChoiceJson from '../../cards/galleryChoice.json';
import proposalJson from '../../cards/proposal.json';
import auditJson from '../../cards/audit.json';
import imagesJson from '../../cards/images.json';
import replicationProgressJson from '../../cards/replicationProgress.json';
import inventorySummaryJson from '../../cards/inventorySummary.json';
import replicationFailedJson from '../../cards/replicationFailed.json';
import { defineTemplate } from './renderCard';

export interface HelpCardData {
  title: string;
  intro: string;
  /** Everyday commands first, then setup; a group with no command the reader may run is left out. */
  groups: { heading: string; commands: { usage: string; summary: string }[] }[];
  roleLine: string;
  footer: string;
  /** Buttons that send a command as if typed (Teams imBack). */
  buttons: { title: string; command: string }[];
}

export interface StatusCardData {
  title: string;
  facts: { title: string; value: string }[];
  /** Empty string when there is nothing to warn about. */
  warning: string;
  /** A notice below the facts (the Lab Services retirement); empty string for none. */
  notice: string;
  /** A link button under the card (the notice's guidance); empty string for none. */
  noticeUrl: string;
  noticeLinkLabel: string;
}

export const helpCard = defineTemplate<HelpCardData>('help', helpJson);

/**
 * A few lines and buttons that send a command as if typed (Teams imBack): the welcome card, "did you mean".
 * `title` may be empty.
 */
export interface CommandButtonsCardData {
  title: string;
  lines: { text: string }[];
  buttons: { title: string; command: string }[];
}

export const commandButtonsCard = defineTemplate<CommandButtonsCardData>('commandButtons', commandButtonsJson);
export const statusCard = defineTemplate<StatusCardData>('status', statusJson);

export interface GalleryChoiceCardData {
  title: string;
  intro: string;
  dialogId: string;
  galleries: { id: string; name: string; detail: string; pickLabel: string }[];
  pageLine: string;
  hasPrevious: boolean;
  previousPage: number;
  previousLabel: string;
  hasNext: boolean;
  nextPage: number;
  nextLabel: string;
  cancelLabel: string;
}

export interface ProposalCardData {
  title: string;
  facts: { title: string; value: string }[];
  notes: { text: string }[];
  /** Empty string: no warning. */
  warning: string;
  /** Empty string: no toggle. */
  toggleLabel: string;
  footer: string;
  confirmationId: string;
  confirmLabel: string;
  cancelLabel: string;
}

export interface AuditCardData {
  title: string;
  /** "Alex Wilber enabled optics-sim · 16:02"; ids, codes and references only behind the Details toggle. */
  entries: { headline: string; detailsId: string; details: string }[];
  /** One Details button shows or hides every entry's details: the ids of those blocks. */
  detailsIds: string[];
  detailsLabel: string;
  /** Empty string when there are entries. */
  empty: string;
  /** The time zone the times are in, when it is not the reader's own (''). */
  footer: string;
}

export const galleryChoiceCard = defineTemplate<GalleryChoiceCardData>('galleryChoice', galleryChoiceJson);
export const proposalCard = defineTemplate<ProposalCardData>('proposal', proposalJson);
export const auditCard = defineTemplate<AuditCardData>('audit', auditJson);

/** One image of the image list card. */
export interface ImageListItem {
  /** The image's name as the host spells it: also what `template.pick` sends back. */
  name: string;
  /** Display name, OS, generalized or specialized, latest version, enabled state. */
  facts: string;
  /** Regions where the image is available, and whether the host's region is among them. */
  regions: string;
  /** Why it cannot back a template, and what Apply could not change; empty string when nothing. */
  warning: string;
  /** Admin view: the Input.Toggle id (see IMAGE_TOGGLE_PREFIX) and its value, 'true' or 'false'. */
  toggleId: string;
  value: 'true' | 'false';
}

/** The verbs the card emits: the constants the action router is built with. */
export interface ImageListVerbs {
  page: string;
  refresh: string;
  apply: string;
  enableAll: string;
  disableAll: string;
  mine: string;
  pick: string;
}

/** What a button sends back besides the inputs: page, filter, audience, changes carried. */
export type ImageListActionData = Record<string, string | number>;

export interface ImageListCardData {
  title: string;
  intro: string;
  /** Empty string: no notice. */
  notice: string;
  noticeColor: 'Default' | 'Good' | 'Warning';
  /** "2 changes not applied yet"; empty string: none. */
  pending: string;
  discardLabel: string;
  discardData: ImageListActionData;
  /** Enable all / Disable all asking for a yes; empty string: no question. */
  question: string;
  confirmLabel: string;
  confirmVerb: string;
  confirmData: ImageListActionData;
  cancelLabel: string;
  images: ImageListItem[];
  /** Empty string when there are images to show. */
  empty: string;
  pageLine: string;
  /** Admin view: a toggle per image. */
  admin: boolean;
  /** Admin view, no question pending: Apply, Enable all, Disable all. */
  adminActions: boolean;
  /** Teacher view: "Use as template" per image. */
  teacher: boolean;
  /** Shared view: "My options". */
  myOptions: boolean;
  toggleLabel: string;
  pickLabel: string;
  applyLabel: string;
  enableAllLabel: string;
  disableAllLabel: string;
  refreshLabel: string;
  myOptionsLabel: string;
  previousLabel: string;
  nextLabel: string;
  verbs: ImageListVerbs;
  /** This page's state, for Apply, Enable all, Disable all, Refresh and My options. */
  data: ImageListActionData;
  hasPrevious: boolean;
  previousData: ImageListActionData;
  hasNext: boolean;
  nextData: ImageListActionData;
  /** The automatic refresh: the viewer's own view of this page. */
  refreshData: ImageListActionData;
  /** Who gets the card refreshed to their own view automatically: the user it was made for. */
  refreshUserIds: string[];
}

export const imagesCard = defineTemplate<ImageListCardData>('images', imagesJson);

import labFormJson from '../../cards/labForm.json';

/** One input of the lab form: its label, the value shown (from the echo), and the error under it ('' when none). */
export interface LabFormTextInput {
  label: string;
  value: string;
  error: string;
}

export interface LabFormCardData {
  heading: string;
  intro: string;
  /** A problem that is no single field's (e.g. the image is no longer offered); '' when none. */
  formError: string;
  /** What the client says when a required input is left empty. */
  requiredMessage: string;
  /** Sent back by both buttons. */
  imageName: string;
  labName: LabFormTextInput;
  title: LabFormTextInput;
  vmSize: LabFormTextInput & { choices: { title: string; value: string }[] };
  quotaHours: Omit<LabFormTextInput, 'value'> & { value: number };
  capacity: Omit<LabFormTextInput, 'value'> & { value: number };
  adminUser: LabFormTextInput;
  /** No value, ever: the card never carries a password back to the user. */
  password: Omit<LabFormTextInput, 'value'>;
  createLabel: string;
  cancelLabel: string;
  /** The buttons' verbs (LAB_FORM_VERBS): cards render what they are given and import no domain code. */
  verbs: { readonly create: string; readonly cancel: string };
}

export const labFormCard = defineTemplate<LabFormCardData>('labForm', labFormJson);

export type CardColor = 'Default' | 'Good' | 'Warning' | 'Attention' | 'Accent';

/** The live card of one replication, updated in place as it progresses. */
export interface ReplicationProgressCardData {
  title: string;
  headline: string;
  headlineColor: CardColor;
  facts: { title: string; value: string }[];
  regions: { name: string; state: string; icon: string; progress: string }[];
  /** Failed regions with the reason Azure gave. */
  problems: { text: string }[];
  footer: string;
}

export const replicationProgressCard = defineTemplate<ReplicationProgressCardData>('replicationProgress', replicationProgressJson);

/** `inventory`'s summary, posted where it was asked; the CSV goes to the requester. */
export interface InventorySummaryCardData {
  title: string;
  facts: { title: string; value: string }[];
  /** Empty string: nothing to warn about. */
  warning: string;
  footer: string;
}

export const inventorySummaryCard = defineTemplate<InventorySummaryCardData>('inventorySummary', inventorySummaryJson);

/** The failure announcement's Action.Execute verb; data `{ image, version }` (names in the conversation's gallery). */
export const RETRY_REGIONS_VERB = 'replication.retry';

/** A failed replication's announcement with its retry button (admins; the router checks at the click). */
export interface ReplicationFailedCardData {
  text: string;
  advice: string;
  /** Empty string: no button (nothing completed, so nothing to keep while retrying). */
  retryLabel: string;
  retryVerb: string;
  image: string;
  version: string;
}

export const replicationFailedCard = defineTemplate<ReplicationFailedCardData>('replicationFailed', replicationFailedJson);

import operationStatusJson from '../../cards/operationStatus.json';

/**
 * What became of a card someone answered, or the one card of a long operation, updated in place: a headline
 * (with its icon), details, the next step, links, and who did it when.
 */
export interface OperationStatusCardData {
  headline: string;
  headlineColor: CardColor;
  /** '' when none. */
  detail: string;
  facts: { title: string; value: string }[];
  /** '' when none. */
  nextStep: string;
  links: { title: string; url: string }[];
  /** e.g. "Detached by Alex Wilber · 16:03"; '' when none. */
  footer: string;
}

export const operationStatusCard = defineTemplate<OperationStatusCardData>('operationStatus', operationStatusJson);

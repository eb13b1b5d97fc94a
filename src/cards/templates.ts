import helpJson from '../../cards/help.json';
import commandButtonsJson from '../../cards/commandButtons.json';
import statusJson from '../../cards/status.json';
import galleryChoiceJson from '../../cards/galleryChoice.json';
import proposalJson from '../../cards/proposal.json';
import auditJson from '../../cards/audit.json';
import imagesJson from '../../cards/images.json';
import replicationProgressJson from '../../cards/replicationProgress.json';
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
  pick: string;
}

export interface ImageListCardData {
  title: string;
  intro: string;
  /** Empty string: no notice. */
  notice: string;
  noticeColor: 'Default' | 'Good' | 'Warning';
  images: ImageListItem[];
  /** Empty string when there are images to show. */
  empty: string;
  pageLine: string;
  /** Admin view: toggles, Apply, Enable all, Disable all. */
  admin: boolean;
  /** Teacher view: "Use as template" per image. */
  teacher: boolean;
  toggleLabel: string;
  pickLabel: string;
  applyLabel: string;
  enableAllLabel: string;
  disableAllLabel: string;
  refreshLabel: string;
  previousLabel: string;
  nextLabel: string;
  verbs: ImageListVerbs;
  page: number;
  filter: string;
  hasPrevious: boolean;
  previousPage: number;
  hasNext: boolean;
  nextPage: number;
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

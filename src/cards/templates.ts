import helpJson from '../../cards/help.json';
import statusJson from '../../cards/status.json';
import galleryChoiceJson from '../../cards/galleryChoice.json';
import proposalJson from '../../cards/proposal.json';
import auditJson from '../../cards/audit.json';
import { defineTemplate } from './renderCard';

export interface HelpCardData {
  title: string;
  intro: string;
  commands: { usage: string; summary: string }[];
  roleLine: string;
  footer: string;
}

export interface StatusCardData {
  title: string;
  facts: { title: string; value: string }[];
  /** Empty string when there is nothing to warn about. */
  warning: string;
}

export const helpCard = defineTemplate<HelpCardData>('help', helpJson);
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
  entries: { headline: string; detail: string }[];
  /** Empty string when there are entries. */
  empty: string;
}

export const galleryChoiceCard = defineTemplate<GalleryChoiceCardData>('galleryChoice', galleryChoiceJson);
export const proposalCard = defineTemplate<ProposalCardData>('proposal', proposalJson);
export const auditCard = defineTemplate<AuditCardData>('audit', auditJson);

import helpJson from '../../cards/help.json';
import statusJson from '../../cards/status.json';
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

import type { TemplatePlaceholder } from '@toonbank/shared';

/** What a template is checked with when it is saved: realistic, and clean by every rule. */
export const SAMPLE_VALUES: Readonly<Record<TemplatePlaceholder, string>> = {
  'customer.name': 'Sanne de Vries',
  'customer.handle': '@sannedevries',
  'agent.firstName': 'Anna',
  'agent.initials': 'AB',
  'conversation.reference': 'DEMO-1042',
};
/** A filled-in slot when a template is saved (an order number, a date). */
export const SAMPLE_INPUT = '1042';

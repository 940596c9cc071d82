import type { UserEntity } from '@toonbank/database';
import type { ConversationDto, TemplatePlaceholder } from '@toonbank/shared';

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

/** The placeholders' values for a reply by `agent` on `conversation`. */
export function placeholderValues(
  conversation: Pick<ConversationDto, 'customer' | 'reference'>,
  agent: Pick<UserEntity, 'name' | 'initials'>,
): Record<TemplatePlaceholder, string> {
  return {
    'customer.name': conversation.customer.name?.trim() || conversation.customer.handle,
    'customer.handle': conversation.customer.handle,
    'agent.firstName': agent.name.trim().split(/\s+/)[0] ?? agent.name,
    'agent.initials': agent.initials,
    'conversation.reference': conversation.reference,
  };
}

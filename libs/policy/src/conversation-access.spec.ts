import type { Role } from '@toonbank/shared';
import { mayActOn } from './conversation-access';

type Holder = 'the caller' | 'someone else' | 'nobody';
const assigneeOf = (holder: Holder) =>
  holder === 'the caller' ? 'me' : holder === 'someone else' ? 'colleague' : null;

// [role, who holds the conversation, may act] — "only the assignee, a team lead or an admin".
const CELLS: [Role, Holder, boolean][] = [
  ['admin', 'the caller', true],
  ['admin', 'someone else', true],
  ['admin', 'nobody', true],
  ['team_lead', 'the caller', true],
  ['team_lead', 'someone else', true],
  ['team_lead', 'nobody', true],
  ['agent', 'the caller', true],
  ['agent', 'someone else', false],
  ['agent', 'nobody', false],
  ['communications', 'the caller', true],
  ['communications', 'someone else', false],
  ['communications', 'nobody', false],
  ['employee', 'the caller', true],
  ['employee', 'someone else', false],
  ['employee', 'nobody', false],
];

describe('mayActOn: the assignee, a team lead or an admin', () => {
  it.each(CELLS)('%s, held by %s → %s', (role, holder, allowed) => {
    expect(mayActOn({ id: 'me', role }, { assigneeId: assigneeOf(holder) })).toBe(allowed);
  });
});

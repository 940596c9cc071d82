import { randomUUID } from 'node:crypto';
import { DashboardTickets, TICKET_TTL_SECONDS } from './dashboard-tickets';

const SECRET = 'a-jwt-secret-of-more-than-thirty-two-characters';
const claims = { sub: randomUUID(), org: randomUUID(), sid: randomUUID() };

describe('DashboardTickets', () => {
  const tickets = new DashboardTickets(SECRET);

  it('verifies its own ticket until it expires', () => {
    const now = Date.now();
    const { ticket, expiresAt } = tickets.issue(claims, now);
    expect(expiresAt.getTime()).toBe(Math.floor(now / 1000) * 1000 + TICKET_TTL_SECONDS * 1000);
    expect(tickets.verify(ticket, now)).toEqual({ ...claims, exp: expiresAt.getTime() / 1000 });
    expect(tickets.verify(ticket, expiresAt.getTime() - 1)).not.toBeNull();
    expect(tickets.verify(ticket, expiresAt.getTime())).toBeNull();
  });

  it.each([
    ['nothing', undefined],
    ['an empty string', ''],
    ['no signature', 'abc'],
    ['three parts (a JWT)', 'a.b.c'],
  ])('refuses %s', (_name, ticket) => {
    expect(tickets.verify(ticket)).toBeNull();
  });

  it('refuses a changed body, a changed signature and another secret’s ticket', () => {
    const { ticket } = tickets.issue(claims);
    const [body, signature] = ticket.split('.');
    const other = Buffer.from(
      JSON.stringify({ ...claims, sub: randomUUID(), exp: 9_999_999_999 }),
    ).toString('base64url');
    expect(tickets.verify(`${other}.${signature}`)).toBeNull();
    expect(tickets.verify(`${body}.${signature.slice(0, -2)}AA`)).toBeNull();
    expect(new DashboardTickets(`${SECRET}-other`).verify(ticket)).toBeNull();
  });
});

import {
  type ChannelAccountEntity,
  ConversationEntity,
  MessageEntity,
  type OrganisationEntity,
  takeConversationNumbers,
  type UserEntity,
} from '@toonbank/database';
import { inTransaction } from '@toonbank/platform';
import type { ConversationStatus } from '@toonbank/shared';
import type { DataSource } from 'typeorm';
import { newChannelAccount, newOrganisation, newUser } from './factories';

/**
 * "The data of a real day" for the web app's checks and its benchmark: an organisation with
 * a team, one Mastodon account and hundreds of conversations in every state, Dutch and
 * English, short and long, some far past their SLA, some due in minutes. Deterministic: the
 * same options give the same texts, states and times (relative to `now`), so screenshots and
 * assertions read the same on every run. Written in bulk, one transaction.
 */
export interface BusyDayOptions {
  /** How many conversations (default 320). */
  conversations?: number;
  /** How many agents share the assigned ones (default 8). */
  agents?: number;
  organisation?: Partial<OrganisationEntity>;
  /** The moment the day is seen from (default: the database's now). */
  now?: Date;
}

export interface BusyDay {
  organisation: OrganisationEntity;
  admin: UserEntity;
  teamLead: UserEntity;
  agents: UserEntity[];
  channel: ChannelAccountEntity;
  /** The conversations by status, newest activity first. */
  byStatus: Record<ConversationStatus, ConversationEntity[]>;
}

/** The organisation's own handle: the customers' posts start with it, as mentions on Mastodon do. */
export const BUSY_DAY_HANDLE = '@webcare@energie.example';

const CUSTOMERS = [
  ['Sanne Jansen', 'sanne'],
  ['Bram de Boer', 'bram'],
  ['Chris Peters', 'chris'],
  ['Fatima El Amrani', 'fatima'],
  ['Joost van der Linden', 'joost'],
  ['Noor Hendriks', 'noor'],
  ['Emily Clarke', 'emily'],
  ['Daan Mulder', 'daan'],
  ['Sophie Visser', 'sophie'],
  ['Mohammed Yilmaz', 'mo'],
  ['Lotte de Groot', 'lotte'],
  ['James O’Brien', 'james'],
] as const;

const DUTCH = [
  'Mijn stroom is sinds vanochtend uitgevallen. Wanneer is dit opgelost?',
  'Ik heb mijn jaarafrekening ontvangen maar het bedrag klopt echt niet. Kunt u kijken?',
  'Al drie keer gebeld over de slimme meter, niemand komt langs. Hoe nu verder?',
  'Is er een storing in Utrecht-Oost? Bij ons in de straat is het licht uit.',
  'Mijn termijnbedrag is verhoogd zonder uitleg. Waarom?',
  'Kan ik mijn contract overzetten naar mijn nieuwe adres per 1 januari?',
] as const;

const ENGLISH = [
  'My power has been out since this morning. Any idea when it will be back?',
  'I moved last month and I am still being billed for my old address. Can you help?',
  'The app keeps logging me out when I try to submit my meter reading.',
  'Is there an outage in Amsterdam-Noord? Our whole building is dark.',
] as const;

/** A long complaint (about 1,400 characters): rows must clip it, the thread must wrap it. */
const LONG_DUTCH =
  'Ik wil graag een klacht indienen over de gang van zaken rond mijn verhuizing. ' +
  'Op 3 november heb ik via de website doorgegeven dat ik per 1 december verhuis, en ik kreeg een ' +
  'bevestiging per e-mail. Toch staat op mijn nieuwe adres nog steeds geen contract, en op mijn oude ' +
  'adres loopt het termijnbedrag gewoon door. Ik heb twee keer gebeld: de eerste keer werd gezegd ' +
  'dat het binnen vijf werkdagen geregeld zou zijn, de tweede keer dat mijn aanvraag niet te vinden ' +
  'was. Ondertussen heeft de nieuwe bewoner van mijn oude woning mij gebeld omdat er post van u ' +
  'op mijn naam binnenkomt. Ik vind dit erg vervelend en ik wil graag dat iemand dit vandaag nog ' +
  'oppakt. Graag ook een bevestiging dat ik niet dubbel betaal voor december, want dat kan ik op ' +
  'dit moment echt niet missen. Mijn klantnummer stuur ik u in een privébericht als u daarom ' +
  'vraagt. Alvast bedankt, en ik hoop dat het dit keer wel in één keer goed gaat, want ik heb er ' +
  'inmiddels al heel wat uren aan besteed. Bovendien heb ik gemerkt dat de app nog het oude adres ' +
  'laat zien, ook na opnieuw inloggen, dus ik vermoed dat er ergens iets is misgegaan bij het ' +
  'verwerken van mijn verhuizing. Kunt u mij laten weten wat de volgende stap is?';

const LABELS = [[], [], ['storing'], ['factuur'], ['verhuizing'], ['storing', 'urgent'], []];

/** A small deterministic generator (mulberry32): the same seed, the same day. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The share of each state, as a contact centre sees them mid-afternoon. */
function statusOf(index: number): ConversationStatus {
  const slot = index % 10;
  if (slot < 4) return 'unassigned';
  if (slot < 7) return 'assigned';
  if (slot < 8) return 'waiting';
  return 'closed';
}

export async function seedBusyDay(db: DataSource, options: BusyDayOptions = {}): Promise<BusyDay> {
  const count = options.conversations ?? 320;
  const organisation = await newOrganisation(db, {
    name: 'Energie Direct',
    maturityLevel: 2,
    ...options.organisation,
  });
  const [admin, teamLead, ...agents] = await Promise.all([
    newUser(db, organisation, { role: 'admin', name: 'Femke Visser' }),
    newUser(db, organisation, { role: 'team_lead', name: 'Pieter Smit' }),
    ...Array.from({ length: options.agents ?? 8 }, (_, index) =>
      newUser(db, organisation, {
        role: 'agent',
        name: `Agent ${String.fromCharCode(65 + index)}. de Vries`,
        languages: index % 2 === 0 ? ['nl', 'en'] : ['nl'],
      }),
    ),
  ]);
  // Paused: the worker never polls it (there is no instance behind it).
  const channel = await newChannelAccount(db, organisation, {
    name: 'Mastodon webcare',
    handle: BUSY_DAY_HANDLE,
    status: 'paused',
  });
  const now =
    options.now ??
    new Date(((await db.query('SELECT now() AS now')) as Array<{ now: Date }>)[0].now);
  const minutes = (n: number) => n * 60_000;

  let conversations: ConversationEntity[] = [];
  await inTransaction(db, async (manager) => {
    // Fresh on every attempt: a retried transaction starts again from nothing.
    conversations = [];
    const messages: MessageEntity[] = [];
    const random = generator(count * 7919 + 14);
    const first = await takeConversationNumbers(manager, organisation.id, count);
    for (let index = 0; index < count; index += 1) {
      const status = statusOf(index);
      const english = index % 4 === 3;
      const [name, slug] = CUSTOMERS[index % CUSTOMERS.length];
      const pool = english ? ENGLISH : DUTCH;
      const body = index % 23 === 5 ? LONG_DUTCH : pool[index % pool.length];
      const text = `${BUSY_DAY_HANDLE} ${body}`;
      // Activity over the last 24 hours, spread unevenly; a few conversations days old.
      const age =
        index % 37 === 0 ? minutes(60 * 24 * (2 + (index % 5))) : minutes(random() * 1440);
      const lastMessageAt = new Date(now.getTime() - age);
      // SLA: from days overdue to hours ahead; none once answered or closed.
      const slaDueAt =
        status === 'unassigned' || status === 'assigned'
          ? new Date(lastMessageAt.getTime() + minutes(60 + Math.round(random() * 240)))
          : null;
      const assignee =
        status === 'assigned' || status === 'waiting' ? agents[index % agents.length] : null;
      const conversation = manager.create(ConversationEntity, {
        organisationId: organisation.id,
        channelAccountId: channel.id,
        number: first + index,
        status,
        assigneeId: assignee?.id ?? null,
        assignedAt: assignee ? lastMessageAt : null,
        customerExternalId: `busy-${slug}-${index}`,
        customerHandle: `@${slug}${index}@klant.example`,
        customerName: name,
        language: english ? 'en' : 'nl',
        labels: LABELS[index % LABELS.length],
        preview: text.slice(0, 200),
        rootExternalId: `busy-status-${index}`,
        lastMessageAt,
        firstResponseAt: status === 'waiting' || status === 'closed' ? lastMessageAt : null,
        slaDueAt,
        slaBreached: slaDueAt !== null && slaDueAt.getTime() < now.getTime(),
        closedAt: status === 'closed' ? lastMessageAt : null,
      });
      conversations.push(conversation);
    }
    await manager.insert(ConversationEntity, conversations);
    conversations.forEach((conversation, index) => {
      const at = conversation.lastMessageAt.getTime();
      messages.push(
        manager.create(MessageEntity, {
          organisationId: organisation.id,
          conversationId: conversation.id,
          channelAccountId: channel.id,
          direction: 'inbound',
          externalId: `busy-status-${index}`,
          authorExternalId: conversation.customerExternalId,
          authorHandle: conversation.customerHandle,
          authorName: conversation.customerName,
          text: `${BUSY_DAY_HANDLE} ${conversation.preview.slice(BUSY_DAY_HANDLE.length + 1)}`,
          language: conversation.language,
          createdAt: new Date(at - minutes(30)),
        }),
      );
      if (conversation.status === 'waiting' || conversation.status === 'closed') {
        messages.push(
          manager.create(MessageEntity, {
            organisationId: organisation.id,
            conversationId: conversation.id,
            channelAccountId: channel.id,
            direction: 'outbound',
            externalId: `busy-reply-${index}`,
            inReplyToExternalId: `busy-status-${index}`,
            authorUserId: conversation.assigneeId ?? teamLead.id,
            authorHandle: BUSY_DAY_HANDLE,
            text:
              conversation.language === 'en'
                ? 'Thank you for your message. We are looking into it and will get back to you today. ^AB'
                : 'Dank voor uw bericht. We zoeken het uit en laten u vandaag nog iets weten. ^AB',
            language: conversation.language,
            createdAt: new Date(at),
          }),
        );
      }
    });
    // The full text of the long ones (the preview is clipped).
    for (const message of messages) {
      if (message.direction === 'inbound' && message.text.includes('Ik wil graag een klacht')) {
        message.text = `${BUSY_DAY_HANDLE} ${LONG_DUTCH}`;
      }
    }
    await manager.save(MessageEntity, messages, { chunk: 200 });
  });

  const byStatus: BusyDay['byStatus'] = { unassigned: [], assigned: [], waiting: [], closed: [] };
  for (const conversation of [...conversations].sort(
    (a, b) => b.lastMessageAt.getTime() - a.lastMessageAt.getTime(),
  )) {
    byStatus[conversation.status].push(conversation);
  }
  return { organisation, admin, teamLead, agents, channel, byStatus };
}

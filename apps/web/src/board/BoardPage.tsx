import type { ConversationDto, EligibleUserDto } from '@toonbank/shared';
import { useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Link } from 'react-router-dom';
import { useAssign, useConversationList } from '../api/conversations';
import { useMe } from '../api/queries';
import { useEligibleUsers, useUserNames } from '../api/team';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { ChannelIcon } from '../inbox/ChannelIcon';
import { SlaClock } from '../inbox/SlaClock';
import { ApprovalQueue } from './ApprovalQueue';

const DRAG_TYPE = 'application/x-toonbank-conversation';

/**
 * The team lead's board: the unassigned queue by SLA (breached first), each eligible person's
 * load against capacity and availability, assignment by drag and drop or by menu, and the
 * approval queue.
 */
export function BoardPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('nav.board'));
  const me = useMe().data;
  const queue = useConversationList({ status: ['unassigned'], sort: 'sla', limit: 100 });
  const eligible = useEligibleUsers();
  const assign = useAssign();
  const names = useUserNames();
  const waiting = queue.data?.pages.flatMap((p) => p.items) ?? [];
  const people = eligible.data?.items ?? [];
  if (!me) return null;
  return (
    <section className="board" aria-labelledby="board-title">
      <h1 id="board-title">{t('nav.board')}</h1>
      <ErrorNotice error={assign.error} />
      <div className="board-columns">
        <section className="board-section" aria-labelledby="queue-title">
          <h2 id="queue-title">
            {t('board.queue.title')} <span className="count">{waiting.length}</span>
          </h2>
          {waiting.length === 0 ? (
            <p className="muted">{t('board.queue.empty')}</p>
          ) : (
            <ul className="board-queue">
              {waiting.map((conversation) => (
                <QueueItem
                  key={conversation.id}
                  conversation={conversation}
                  people={people}
                  onAssign={(userId) => assign.mutate({ conversationId: conversation.id, userId })}
                />
              ))}
            </ul>
          )}
        </section>
        <div className="board-side">
          <ApprovalQueue me={me} names={names} />
          <section className="board-section" aria-labelledby="team-title">
            <h2 id="team-title">{t('board.team.title')}</h2>
            <p className="muted">{t('board.team.dropHint')}</p>
            <ul className="team-list">
              {people.map((person) => (
                <PersonCard
                  key={person.id}
                  person={person}
                  onDropConversation={(conversationId) =>
                    assign.mutate({ conversationId, userId: person.id })
                  }
                />
              ))}
            </ul>
          </section>
        </div>
      </div>
    </section>
  );
}

function QueueItem({
  conversation,
  people,
  onAssign,
}: {
  conversation: ConversationDto;
  people: readonly EligibleUserDto[];
  onAssign(userId: string): void;
}) {
  const { t } = useTranslation();
  return (
    <li
      className="queue-item card"
      draggable
      onDragStart={(event) => {
        event.dataTransfer.setData(DRAG_TYPE, conversation.id);
        event.dataTransfer.effectAllowed = 'move';
      }}
    >
      <div className="row-top">
        <ChannelIcon provider={conversation.provider} />
        <Link to={`/inbox/${conversation.id}`} className="row-handle">
          {conversation.customer.handle}
        </Link>
        <span className="muted">{conversation.reference}</span>
        <SlaClock conversation={conversation} />
      </div>
      <p className="row-preview">{conversation.preview}</p>
      <div className="assign-menu">
        <select
          aria-label={t('board.queue.assign', { reference: conversation.reference })}
          value=""
          onChange={(event) => event.target.value && onAssign(event.target.value)}
        >
          <option value="">{t('conversation.actions.assign')}</option>
          {people.map((person) => (
            <option key={person.id} value={person.id}>
              {t('board.team.option', {
                name: person.name,
                load: person.openConversations,
                capacity: person.capacity,
              })}
            </option>
          ))}
        </select>
      </div>
    </li>
  );
}

function PersonCard({
  person,
  onDropConversation,
}: {
  person: EligibleUserDto;
  onDropConversation(conversationId: string): void;
}) {
  const { t } = useTranslation();
  const [over, setOver] = useState(false);
  const full = person.openConversations >= person.capacity;
  const accepts = (event: DragEvent) => event.dataTransfer.types.includes(DRAG_TYPE);
  return (
    <li
      className={`person card${over ? ' person-over' : ''}`}
      onDragOver={(event) => {
        if (!accepts(event)) return;
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        setOver(false);
        const id = event.dataTransfer.getData(DRAG_TYPE);
        if (id) onDropConversation(id);
      }}
    >
      <div className="row-top">
        <strong>{person.name}</strong>
        <span className="muted">{t(`roles.${person.role}`)}</span>
        <span className={person.available ? 'availability-on' : 'availability-off'}>
          {person.available ? t('board.team.available') : t('board.team.unavailable')}
        </span>
      </div>
      <div className="load">
        <meter
          min={0}
          max={person.capacity}
          high={Math.max(1, person.capacity - 1)}
          value={Math.min(person.openConversations, person.capacity)}
          aria-label={t('board.team.loadOf', { name: person.name })}
        />
        <span className={full ? 'counter counter-over' : 'counter'}>
          {t('board.team.load', { load: person.openConversations, capacity: person.capacity })}
        </span>
      </div>
    </li>
  );
}

import type { EligibleUserDto } from '@toonbank/shared';
import { useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { useEligibleUsers } from '../api/team';
import { ErrorNotice } from '../ui/ErrorNotice';
import { SkeletonRows } from '../ui/Skeleton';
import { loadAfter } from './heldQueue';
import { DRAG_TYPE } from './QueueSection';

/**
 * Everyone who may be given a conversation now, with their load (assignments under way
 * included) against capacity: the drop targets. Sticky beside the queue on a wide screen.
 */
export function TeamSection({
  eligible,
  moving,
  onDropConversation,
  showDropHint,
}: {
  eligible: ReturnType<typeof useEligibleUsers>;
  moving: ReadonlyMap<string, string>;
  onDropConversation(person: EligibleUserDto, conversationId: string): void;
  showDropHint: boolean;
}) {
  const { t } = useTranslation();
  const people = eligible.data?.items ?? [];
  return (
    // Focusable: on a wide screen the column scrolls on its own, also for keyboard users.
    <section className="board-section board-team" aria-labelledby="team-title" tabIndex={0}>
      <h2 id="team-title">{t('board.team.title')}</h2>
      {showDropHint && <p className="muted board-hint">{t('board.team.dropHint')}</p>}
      {eligible.isPending ? (
        <SkeletonRows count={4} />
      ) : eligible.isError && !eligible.data ? (
        <ErrorNotice error={eligible.error} onRetry={() => void eligible.refetch()} />
      ) : people.length === 0 ? (
        <p className="muted">{t('board.team.empty')}</p>
      ) : (
        <ul className="team-list">
          {people.map((person) => (
            <PersonCard
              key={person.id}
              person={person}
              load={loadAfter(person, moving)}
              onDropConversation={(conversationId) => onDropConversation(person, conversationId)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function PersonCard({
  person,
  load,
  onDropConversation,
}: {
  person: EligibleUserDto;
  load: number;
  onDropConversation(conversationId: string): void;
}) {
  const { t } = useTranslation();
  const [over, setOver] = useState(false);
  const full = load >= person.capacity;
  const accepts = (event: DragEvent) => event.dataTransfer.types.includes(DRAG_TYPE);
  return (
    <li
      className={over ? 'board-card person person-over' : 'board-card person'}
      data-user-id={person.id}
      onDragOver={(event) => {
        if (!accepts(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
        setOver(true);
      }}
      onDragLeave={(event) => {
        // Leaving for one of its own children is still over the card.
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        const id = event.dataTransfer.getData(DRAG_TYPE);
        if (id) onDropConversation(id);
      }}
    >
      <div className="person-head">
        <strong className="person-name">{person.name}</strong>
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
          value={Math.min(load, person.capacity)}
          aria-label={t('board.team.loadOf', { name: person.name })}
        />
        <span className={full ? 'counter counter-over' : 'counter'}>
          {t('board.team.load', { load, capacity: person.capacity })}
        </span>
      </div>
    </li>
  );
}

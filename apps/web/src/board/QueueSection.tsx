import type { ConversationDto, EligibleUserDto } from '@toonbank/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { useConversationList } from '../api/conversations';
import { ChannelIcon } from '../inbox/ChannelIcon';
import { SlaClock } from '../inbox/SlaClock';
import { ErrorNotice } from '../ui/ErrorNotice';
import { SkeletonRows } from '../ui/Skeleton';
import { loadAfter, type ShownCard } from './heldQueue';

/** The drag carries the conversation's id under this type, and nothing else. */
export const DRAG_TYPE = 'application/x-toonbank-conversation';

/** The unassigned queue by SLA: one card per conversation, dragged or assigned by its menu. */
export function QueueSection({
  queue,
  cards,
  people,
  moving,
  onHold,
  onAssign,
}: {
  queue: ReturnType<typeof useConversationList>;
  cards: readonly ShownCard<ConversationDto>[];
  people: readonly EligibleUserDto[];
  moving: ReadonlyMap<string, string>;
  onHold(drag: boolean): void;
  onAssign(conversation: ConversationDto, person: EligibleUserDto): void;
}) {
  const { t } = useTranslation();
  const live = cards.filter((card) => !card.gone).length;
  return (
    <section className="board-section board-queue-section" aria-labelledby="queue-title">
      <h2 id="queue-title">
        {t('board.queue.title')}{' '}
        {queue.data && (
          <span className="count">
            {live}
            {queue.hasNextPage ? '+' : ''}
          </span>
        )}
      </h2>
      {queue.isPending ? (
        <SkeletonRows count={8} label={t('board.queue.loading')} />
      ) : queue.isError && !queue.data ? (
        <ErrorNotice error={queue.error} onRetry={() => void queue.refetch()} />
      ) : cards.length === 0 ? (
        <p className="muted">{t('board.queue.empty')}</p>
      ) : (
        <ul className="board-queue">
          {cards.map(({ item, gone }) => (
            <QueueCard
              key={item.id}
              conversation={item}
              gone={gone}
              people={people}
              moving={moving}
              onHold={onHold}
              onAssign={(person) => onAssign(item, person)}
            />
          ))}
        </ul>
      )}
      {queue.isError && queue.data && (
        <ErrorNotice error={queue.error} onRetry={() => void queue.refetch()} />
      )}
      {queue.hasNextPage && (
        <button
          type="button"
          className="button board-more"
          disabled={queue.isFetchingNextPage}
          onClick={() => void queue.fetchNextPage()}
        >
          {queue.isFetchingNextPage ? t('app.loading') : t('board.queue.more')}
        </button>
      )}
    </section>
  );
}

function QueueCard({
  conversation,
  gone,
  people,
  moving,
  onHold,
  onAssign,
}: {
  conversation: ConversationDto;
  gone: boolean;
  people: readonly EligibleUserDto[];
  moving: ReadonlyMap<string, string>;
  onHold(drag: boolean): void;
  onAssign(person: EligibleUserDto): void;
}) {
  const { t } = useTranslation();
  return (
    <li
      className={gone ? 'board-card queue-item queue-item-gone' : 'board-card queue-item'}
      draggable={!gone}
      data-conversation-id={conversation.id}
      onPointerDown={(event) => {
        // A mouse press may become a drag: hold the list from here. A finger scrolls instead.
        if (event.button === 0 && event.pointerType === 'mouse') onHold(false);
      }}
      onDragStart={(event) => {
        onHold(true);
        event.dataTransfer.setData(DRAG_TYPE, conversation.id);
        event.dataTransfer.effectAllowed = 'move';
      }}
    >
      <div className="board-card-head">
        <ChannelIcon provider={conversation.provider} />
        <Link to={`/inbox/${conversation.id}`} className="board-card-handle" draggable={false}>
          {conversation.customer.handle}
        </Link>
        <span className="board-card-reference">{conversation.reference}</span>
      </div>
      {/* Taken during a drag: said where the clock was, the card keeps its size (nothing moves). */}
      <div className="board-card-sla">
        {gone ? (
          <span className="board-card-gone">{t('board.queue.taken')}</span>
        ) : (
          <SlaClock conversation={conversation} />
        )}
      </div>
      <p className="board-card-preview">{conversation.preview}</p>
      <select
        className="board-card-assign"
        aria-label={t('board.queue.assign', { reference: conversation.reference })}
        value=""
        disabled={gone}
        onChange={(event) => {
          const person = people.find((p) => p.id === event.target.value);
          if (person) onAssign(person);
        }}
      >
        <option value="">{t('conversation.actions.assign')}</option>
        {people.map((person) => (
          <option key={person.id} value={person.id}>
            {t('board.team.option', {
              name: person.name,
              load: loadAfter(person, moving),
              capacity: person.capacity,
            })}
          </option>
        ))}
      </select>
    </li>
  );
}

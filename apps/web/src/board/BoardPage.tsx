import type { ConversationDto, EligibleUserDto } from '@toonbank/shared';
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactElement,
} from 'react';
import { useTranslation } from 'react-i18next';
import { useConversationList } from '../api/conversations';
import { useMe } from '../api/queries';
import { useApprovalQueue } from '../api/replies';
import { useEligibleUsers, useUserNames } from '../api/team';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { PHONE_QUERY, useMediaQuery } from '../ui/useMediaQuery';
import { ApprovalQueue } from './ApprovalQueue';
import { AssignmentNotices } from './AssignmentNotices';
import { QueueSection } from './QueueSection';
import { TeamSection } from './TeamSection';
import { shownQueue } from './heldQueue';
import { useBoardAssignment } from './useBoardAssignment';
import './board.css';

const PANELS = ['queue', 'approvals', 'team'] as const;
type Panel = (typeof PANELS)[number];

/**
 * The team lead's board: the unassigned queue by SLA (breached first), the approval queue and
 * each eligible person's load against capacity and availability, side by side in a grid (tabs
 * on a phone). Assignment by drag and drop or by each card's menu; past capacity it asks first.
 *
 * The queue holds still during a drag: from the moment the pointer goes down on a card until
 * the drag ends, live updates change no card's place (see `shownQueue`), and the drop names the
 * conversation by the id the drag carries, never by a position.
 */
export function BoardPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('nav.board'));
  const me = useMe().data;
  const queue = useConversationList({ status: ['unassigned'], sort: 'sla', limit: 100 });
  const eligible = useEligibleUsers();
  const approvals = useApprovalQueue();
  const names = useUserNames();
  // On a phone the three columns become tabs (no sideways scrolling).
  const narrow = useMediaQuery(PHONE_QUERY);
  const [panel, setPanel] = useState<Panel>('queue');
  const assignment = useBoardAssignment(me?.id);
  const { moving, request, refusal, dismissRefusal, reportTaken } = assignment;

  const live = useMemo(() => queue.data?.pages.flatMap((page) => page.items) ?? [], [queue.data]);
  const [held, setHeld] = useState<readonly ConversationDto[] | null>(null);
  const cards = useMemo(() => shownQueue(live, held, new Set(moving.keys())), [live, held, moving]);
  // What is on screen, and what was held last: a drop looks the dragged id up in these.
  const shownRef = useRef(cards);
  shownRef.current = cards;
  const lastHeld = useRef<readonly ConversationDto[]>([]);
  const dragging = useRef(false);
  const hold = useCallback((drag: boolean) => {
    if (drag) dragging.current = true;
    setHeld((before) => {
      if (before) return before;
      lastHeld.current = shownRef.current.map((card) => card.item);
      return lastHeld.current;
    });
  }, []);
  const holding = held !== null;
  useEffect(() => {
    if (!holding) return;
    const release = () => {
      dragging.current = false;
      setHeld(null);
    };
    // A drag that begins cancels the pointer (Chromium): that is no release, its end is.
    const cancelled = () => {
      if (!dragging.current) release();
    };
    // After a drag the first mouse move has no button down (dragend may never come when the
    // dragged card left the page at the drop).
    const moved = (event: MouseEvent) => {
      if (event.buttons === 0) release();
    };
    const events = ['pointerup', 'dragend', 'drop'] as const;
    for (const name of events) window.addEventListener(name, release, true);
    window.addEventListener('pointercancel', cancelled, true);
    window.addEventListener('mousemove', moved, true);
    window.addEventListener('blur', release);
    return () => {
      for (const name of events) window.removeEventListener(name, release, true);
      window.removeEventListener('pointercancel', cancelled, true);
      window.removeEventListener('mousemove', moved, true);
      window.removeEventListener('blur', release);
    };
  }, [holding]);

  const people = eligible.data?.items ?? [];
  const dropOn = (person: EligibleUserDto, conversationId: string) => {
    const inQueue = live.find((c) => c.id === conversationId);
    if (inQueue) {
      request(inQueue, person);
      return;
    }
    // Dragged from the held list, but someone took it meanwhile: never take it from them unseen.
    const dragged = lastHeld.current.find((c) => c.id === conversationId);
    if (dragged) reportTaken(dragged, person);
  };

  if (!me) return null;

  const sections: Record<Panel, ReactElement> = {
    queue: (
      <QueueSection
        queue={queue}
        cards={cards}
        people={people}
        moving={moving}
        onHold={hold}
        onAssign={request}
      />
    ),
    approvals: <ApprovalQueue me={me} names={names} />,
    team: (
      <TeamSection
        eligible={eligible}
        moving={moving}
        onDropConversation={dropOn}
        showDropHint={!narrow}
      />
    ),
  };
  const counts: Record<Panel, string | null> = {
    queue: queue.data ? `${live.length}${queue.hasNextPage ? '+' : ''}` : null,
    approvals: approvals.data ? String(approvals.data.items.length) : null,
    team: eligible.data ? String(people.length) : null,
  };

  return (
    <section className="board" aria-labelledby="board-title">
      <h1 id="board-title">{t('nav.board')}</h1>
      <AssignmentNotices
        question={assignment.question}
        onConfirm={assignment.confirm}
        onCancel={assignment.cancel}
        refusal={refusal}
        onDismiss={dismissRefusal}
      />
      {narrow ? (
        <BoardTabs panel={panel} onSelect={setPanel} counts={counts} sections={sections} />
      ) : (
        <div className="board-grid">
          {sections.queue}
          {sections.approvals}
          {sections.team}
        </div>
      )}
    </section>
  );
}

/** On a phone: one column at a time, chosen with tabs (arrow keys move between them). */
function BoardTabs({
  panel,
  onSelect,
  counts,
  sections,
}: {
  panel: Panel;
  onSelect(panel: Panel): void;
  counts: Record<Panel, string | null>;
  sections: Record<Panel, ReactElement>;
}) {
  const { t } = useTranslation();
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    event.preventDefault();
    const next = PANELS[(PANELS.indexOf(panel) + step + PANELS.length) % PANELS.length];
    onSelect(next);
    document.getElementById(`board-tab-${next}`)?.focus();
  };
  return (
    <>
      <div
        role="tablist"
        aria-label={t('board.sections')}
        className="board-tabs"
        onKeyDown={onKeyDown}
      >
        {PANELS.map((name) => (
          <button
            key={name}
            id={`board-tab-${name}`}
            type="button"
            role="tab"
            aria-selected={panel === name}
            aria-controls={`board-panel-${name}`}
            tabIndex={panel === name ? 0 : -1}
            className={panel === name ? 'board-tab board-tab-active' : 'board-tab'}
            onClick={() => onSelect(name)}
          >
            {t(`board.tab.${name}`)}
            {counts[name] !== null && <span className="count">{counts[name]}</span>}
          </button>
        ))}
      </div>
      {PANELS.map((name) => (
        <div
          key={name}
          id={`board-panel-${name}`}
          role="tabpanel"
          aria-labelledby={`board-tab-${name}`}
          className="board-panel"
          hidden={panel !== name}
        >
          {sections[name]}
        </div>
      ))}
    </>
  );
}

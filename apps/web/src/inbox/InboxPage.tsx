import { isLead } from '@toonbank/policy';
import type { ConversationCountsDto, ConversationStatus, UserDto } from '@toonbank/shared';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import {
  useConversation,
  useConversationAction,
  useConversationCounts,
  useConversationList,
  type ConversationFilters,
} from '../api/conversations';
import { useMe } from '../api/queries';
import { useUserNames } from '../api/team';
import { useDebounced } from '../api/tone';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { ConversationPane } from '../conversation/ConversationPane';
import { focusComposer } from '../conversation/focusComposer';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formatCount } from '../ui/formatTime';
import { SkeletonRows } from '../ui/Skeleton';
import { PHONE_QUERY, useMediaQuery } from '../ui/useMediaQuery';
import { useNow } from '../ui/useNow';
import { ConversationRow } from './ConversationRow';
import './inbox.css';
import {
  firstUseSince,
  INBOX_SORTS,
  isNew,
  markSeen,
  useInboxMemory,
  withSince,
  type InboxSort,
} from './inboxMemory';
import { NewWorkNotice } from './NewWorkNotice';
import { useShortcuts } from './useShortcuts';

export const INBOX_TABS = ['mine', 'unassigned', 'waiting', 'closed'] as const;
export type InboxTab = (typeof INBOX_TABS)[number];

/** The tabs whose work has an SLA running, where the user picks the order. */
const SORTABLE: readonly InboxTab[] = ['mine', 'unassigned'];

/**
 * The filters behind each tab: one's own work and the queue in the order the user chose (SLA
 * due first by default, or newest activity first), waiting and closed by newest activity.
 */
export function tabFilters(
  tab: InboxTab,
  me: UserDto,
  sort: InboxSort = 'sla',
): ConversationFilters {
  const status: Record<InboxTab, ConversationStatus[]> = {
    mine: ['assigned'],
    unassigned: ['unassigned'],
    waiting: ['waiting'],
    closed: ['closed'],
  };
  return {
    status: status[tab],
    ...(tab === 'mine' || (tab === 'waiting' && !isLead(me.role)) ? { assignee: 'me' } : {}),
    sort: SORTABLE.includes(tab) && sort === 'sla' ? 'sla' : 'activity',
  };
}

/** The inbox: the lists on the left, the open conversation on the right, live. */
export function InboxPage() {
  const me = useMe().data;
  if (!me) return null;
  return <Inbox me={me} />;
}

function Inbox({ me }: { me: UserDto }) {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('nav.inbox'));
  const { conversationId } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const tab: InboxTab = (INBOX_TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as InboxTab)
    : 'mine';
  const { memory, update } = useInboxMemory(me.id);
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const filters = useMemo(
    () => ({ ...tabFilters(tab, me, memory.sort), ...(q ? { q } : {}) }),
    [me, tab, memory.sort, q],
  );
  const list = useConversationList(filters);
  const counts = useConversationCounts();
  const names = useUserNames();
  const now = useNow(60_000);
  const conversations = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const index = conversations.findIndex((c) => c.id === conversationId);
  // The open conversation stays the one acted on when it leaves the list (claimed from the
  // queue, closed): by id, from its own query (the pane's), until the user moves on.
  const detail = useConversation(conversationId).data;
  const selected = index >= 0 ? conversations[index] : detail;
  const lastIndex = useRef(0);
  if (index >= 0) lastIndex.current = index;
  const action = useConversationAction(conversationId ?? '');

  // First use: "new" starts at the server's now (the counts' snapshot, or the newest activity
  // listed), never this browser's clock, which may run ahead of the server's.
  const firstUse = memory.since === null;
  const serverNow = firstUse ? firstUseSince(counts.data?.computedAt, conversations) : null;
  const countsSettled = !counts.isPending;
  useEffect(() => {
    if (serverNow && countsSettled) update((m) => withSince(m, serverNow));
  }, [serverNow, countsSettled, update]);

  // Seen: the open conversation is no longer new, also when a message arrives while open.
  const seenId = selected?.id;
  const seenAt = selected?.lastMessageAt;
  useEffect(() => {
    if (seenId && seenAt) update((m) => markSeen(m, { id: seenId, lastMessageAt: seenAt }));
  }, [seenId, seenAt, firstUse, update]);

  const hrefOf = (id: string) => `/inbox/${id}?tab=${tab}`;
  const go = (offset: number) => {
    // Out of the list (it left it): the one now in its place is next, the one above previous.
    const at = index >= 0 ? index + offset : lastIndex.current + (offset > 0 ? 0 : offset);
    const next = conversations[Math.min(Math.max(at, 0), conversations.length - 1)];
    if (next && next.id !== conversationId) navigate(hrefOf(next.id));
  };
  useShortcuts({
    j: () => go(1),
    k: () => go(-1),
    c: () => selected?.status === 'unassigned' && action.mutate('claim'),
    e: () => selected && selected.status !== 'closed' && action.mutate('close'),
    // The composer's focus target (the text box, or the template search at level 1), in view.
    r: focusComposer,
  });

  // The open conversation's row stays in view as j and k move through a long list.
  useEffect(() => {
    if (!conversationId) return;
    document
      .querySelector(`[data-conversation-id="${CSS.escape(conversationId)}"]`)
      ?.scrollIntoView?.({ block: 'nearest' });
  }, [conversationId, index]);

  // Phone: list, then detail. Opening moves focus to "back"; back returns it to the row.
  // Read when the user opens or leaves a conversation: turning the phone moves no focus.
  const phone = useRef(false);
  phone.current = useMediaQuery(PHONE_QUERY);
  const back = useRef<HTMLAnchorElement>(null);
  const cameFrom = useRef<string | null>(null);
  useEffect(() => {
    if (!phone.current) return;
    if (conversationId) {
      cameFrom.current = conversationId;
      back.current?.focus();
    } else if (cameFrom.current) {
      document
        .querySelector<HTMLElement>(
          `[data-conversation-id="${CSS.escape(cameFrom.current)}"] .conversation-link`,
        )
        ?.focus();
    }
  }, [conversationId]);

  // Infinite scroll: the next page loads as the end of the list comes into view.
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, fetchNextPage, isFetchingNextPage } = list;
  useEffect(() => {
    const element = sentinel.current;
    if (!element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && hasNextPage && !isFetchingNextPage)
        void fetchNextPage();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasNextPage, fetchNextPage, isFetchingNextPage]);

  const chooseSort = (sort: InboxSort) => update((m) => (m.sort === sort ? m : { ...m, sort }));
  const panelId = 'inbox-panel';
  return (
    <section
      className={conversationId ? 'inbox inbox-has-detail' : 'inbox'}
      aria-labelledby="inbox-title"
    >
      <div className="inbox-list">
        <h1 id="inbox-title" className="visually-hidden">
          {t('nav.inbox')}
        </h1>
        <NewWorkNotice
          me={me}
          memory={memory}
          watching={tab === 'unassigned' && !conversationId}
          href="/inbox?tab=unassigned"
        />
        <InboxTabs
          tab={tab}
          counts={counts.data}
          language={i18n.language}
          panelId={panelId}
          onChoose={(name) => setParams({ tab: name })}
        />
        <div className="inbox-tools">
          <label className="field inbox-search">
            <span className="visually-hidden">{t('inbox.search')}</span>
            <input
              type="search"
              placeholder={t('inbox.search')}
              value={search}
              onChange={(event) => setSearch(event.target.value)}
            />
          </label>
          {SORTABLE.includes(tab) && (
            <div role="group" aria-label={t('inbox.sort.label')} className="inbox-sort">
              {INBOX_SORTS.map((sort) => (
                <button
                  key={sort}
                  type="button"
                  className="inbox-sort-option"
                  aria-pressed={memory.sort === sort}
                  onClick={() => chooseSort(sort)}
                >
                  {t(`inbox.sort.${sort}`)}
                </button>
              ))}
            </div>
          )}
        </div>
        <div
          id={panelId}
          role="tabpanel"
          aria-labelledby={`inbox-tab-${tab}`}
          className="inbox-scroll"
        >
          {list.isError ? (
            <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />
          ) : list.isPending ? (
            <SkeletonRows count={8} />
          ) : conversations.length === 0 ? (
            <p className="muted empty">{t('inbox.empty')}</p>
          ) : (
            <ul className="conversation-list" aria-label={t(`inbox.tab.${tab}`)}>
              {conversations.map((conversation) => (
                <ConversationRow
                  key={conversation.id}
                  conversation={conversation}
                  href={hrefOf(conversation.id)}
                  selected={conversation.id === conversationId}
                  fresh={conversation.id !== conversationId && isNew(memory, conversation)}
                  now={now}
                  assigneeName={
                    conversation.assigneeId ? names.get(conversation.assigneeId) : undefined
                  }
                />
              ))}
            </ul>
          )}
          <div ref={sentinel} />
          {hasNextPage && (
            <button
              type="button"
              className="button button-quiet load-more"
              disabled={isFetchingNextPage}
              onClick={() => void fetchNextPage()}
            >
              {isFetchingNextPage ? t('app.loading') : t('inbox.loadMore')}
            </button>
          )}
        </div>
        <p className="muted shortcuts-hint">{t('inbox.shortcuts')}</p>
      </div>
      <div className="inbox-detail">
        {conversationId ? (
          <>
            <Link ref={back} to={`/inbox?tab=${tab}`} className="inbox-back">
              <span aria-hidden="true">← </span>
              {t('inbox.back')}
            </Link>
            <ConversationPane key={conversationId} id={conversationId} me={me} />
          </>
        ) : (
          <p className="muted empty">{t('inbox.pick')}</p>
        )}
      </div>
    </section>
  );
}

/**
 * The four lists as tabs, each with its live count ("999+" above 999). The count is the tab's
 * description, not part of its name: "Niet toegewezen", described as "125 gesprekken".
 */
function InboxTabs({
  tab,
  counts,
  language,
  panelId,
  onChoose,
}: {
  tab: InboxTab;
  counts: ConversationCountsDto | undefined;
  language: string;
  panelId: string;
  onChoose(tab: InboxTab): void;
}) {
  const { t } = useTranslation();
  const refs = useRef<Partial<Record<InboxTab, HTMLButtonElement | null>>>({});
  // Arrow keys move between the tabs (the tabs pattern); Tab goes on to the list.
  const onKeyDown = (event: KeyboardEvent) => {
    const at = INBOX_TABS.indexOf(tab);
    const step = { ArrowRight: 1, ArrowLeft: -1, Home: -at, End: INBOX_TABS.length - 1 - at }[
      event.key
    ];
    if (step === undefined) return;
    event.preventDefault();
    const next = INBOX_TABS[(at + step + INBOX_TABS.length) % INBOX_TABS.length]!;
    onChoose(next);
    refs.current[next]?.focus();
  };
  return (
    <div
      role="tablist"
      aria-label={t('inbox.tabs')}
      className="tabs inbox-tabs"
      onKeyDown={onKeyDown}
    >
      {INBOX_TABS.map((name) => {
        const count = counts?.[name];
        return (
          <button
            key={name}
            ref={(element) => {
              refs.current[name] = element;
            }}
            id={`inbox-tab-${name}`}
            type="button"
            role="tab"
            aria-selected={tab === name}
            aria-controls={panelId}
            aria-describedby={count === undefined ? undefined : `inbox-tab-count-${name}`}
            tabIndex={tab === name ? 0 : -1}
            className={tab === name ? 'tab tab-active' : 'tab'}
            onClick={() => onChoose(name)}
          >
            <span className="tab-label">{t(`inbox.tab.${name}`)}</span>
            {count !== undefined && (
              <>
                <span className="tab-count" aria-hidden="true">
                  {formatCount(count, language)}
                </span>
                <span id={`inbox-tab-count-${name}`} hidden>
                  {t('inbox.tabCount', { count, formatted: formatCount(count, language) })}
                </span>
              </>
            )}
          </button>
        );
      })}
    </div>
  );
}

import { isLead } from '@toonbank/policy';
import type { ConversationStatus, UserDto } from '@toonbank/shared';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import {
  useConversationAction,
  useConversationList,
  type ConversationFilters,
} from '../api/conversations';
import { useMe } from '../api/queries';
import { useUserNames } from '../api/team';
import { useDebounced } from '../api/tone';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { ConversationPane } from '../conversation/ConversationPane';
import { errorMessage } from '../i18n/errorMessage';
import { ConversationRow } from './ConversationRow';
import { useShortcuts } from './useShortcuts';

export const INBOX_TABS = ['mine', 'unassigned', 'waiting', 'closed'] as const;
export type InboxTab = (typeof INBOX_TABS)[number];

/** The filters behind each tab: one's own work by SLA, the queue by SLA, waiting, closed. */
export function tabFilters(tab: InboxTab, me: UserDto): ConversationFilters {
  const status: Record<InboxTab, ConversationStatus[]> = {
    mine: ['assigned'],
    unassigned: ['unassigned'],
    waiting: ['waiting'],
    closed: ['closed'],
  };
  return {
    status: status[tab],
    ...(tab === 'mine' || (tab === 'waiting' && !isLead(me.role)) ? { assignee: 'me' } : {}),
    sort: tab === 'mine' || tab === 'unassigned' ? 'sla' : 'activity',
  };
}

/** The inbox: the lists on the left, the open conversation on the right, live. */
export function InboxPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('nav.inbox'));
  const me = useMe().data;
  const { conversationId } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const tab: InboxTab = (INBOX_TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as InboxTab)
    : 'mine';
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const filters = useMemo(
    () => (me ? { ...tabFilters(tab, me), ...(q ? { q } : {}) } : {}),
    [me, tab, q],
  );
  const list = useConversationList(filters, !!me);
  const names = useUserNames();
  const conversations = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const index = conversations.findIndex((c) => c.id === conversationId);
  const selected = index >= 0 ? conversations[index] : undefined;
  const action = useConversationAction(conversationId ?? '');

  const hrefOf = (id: string) => `/inbox/${id}?tab=${tab}`;
  const go = (offset: number) => {
    const next = conversations[index < 0 ? 0 : index + offset];
    if (next) navigate(hrefOf(next.id));
  };
  useShortcuts({
    j: () => go(1),
    k: () => go(-1),
    c: () => selected?.status === 'unassigned' && action.mutate('claim'),
    e: () => selected && selected.status !== 'closed' && action.mutate('close'),
    r: () => document.querySelector<HTMLTextAreaElement>('.composer textarea')?.focus(),
  });

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

  if (!me) return null;
  return (
    <section className="inbox" aria-labelledby="inbox-title">
      <div className="inbox-list">
        <h1 id="inbox-title" className="visually-hidden">
          {t('nav.inbox')}
        </h1>
        <div role="tablist" aria-label={t('inbox.tabs')} className="tabs">
          {INBOX_TABS.map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              aria-selected={tab === name}
              className={tab === name ? 'tab tab-active' : 'tab'}
              onClick={() => setParams({ tab: name })}
            >
              {t(`inbox.tab.${name}`)}
            </button>
          ))}
        </div>
        <label className="field inbox-search">
          <span className="visually-hidden">{t('inbox.search')}</span>
          <input
            type="search"
            placeholder={t('inbox.search')}
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </label>
        <div role="tabpanel" aria-label={t(`inbox.tab.${tab}`)}>
          {list.isError ? (
            <p className="form-error" role="alert">
              {errorMessage(t, list.error)}
            </p>
          ) : list.isPending ? (
            <p className="page-status" role="status">
              {t('app.loading')}
            </p>
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
          <ConversationPane key={conversationId} id={conversationId} me={me} />
        ) : (
          <p className="muted empty">{t('inbox.pick')}</p>
        )}
      </div>
    </section>
  );
}

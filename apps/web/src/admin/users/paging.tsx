import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';
import type { Page } from '@toonbank/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/ApiContext';

/** The largest page the API hands out (API.md §Conventions). */
export const PAGE_LIMIT = 200;

/**
 * A whole collection of API.md §Conventions, page by page: the first page of `limit=200`,
 * the next ones on request from `nextCursor`. `items` are the pages' items in order.
 */
export function usePagedList<T>(queryKey: QueryKey, path: string, enabled = true) {
  const api = useApi();
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams({ limit: String(PAGE_LIMIT) });
      if (pageParam) params.set('cursor', pageParam);
      return api.get<Page<T>>(`${path}?${params.toString()}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
  const items = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  return { query, items };
}

export type PagedQuery = ReturnType<typeof usePagedList>['query'];

/** "Load more" under a paged list; nothing once the last page is in. */
export function LoadMore({ query, label }: { query: PagedQuery; label: string }) {
  const { t } = useTranslation();
  if (!query.hasNextPage) return null;
  return (
    <p className="load-more">
      <button
        type="button"
        className="button button-quiet"
        disabled={query.isFetchingNextPage}
        onClick={() => void query.fetchNextPage()}
      >
        {query.isFetchingNextPage ? t('app.loading') : label}
      </button>
    </p>
  );
}

import { useQuery } from '@tanstack/react-query';
import type {
  ChannelProvider,
  Page,
  TemplateDto,
  ToneCheckResultDto,
  ToneProfileDto,
} from '@toonbank/shared';
import { useEffect, useState } from 'react';
import { useApi } from './ApiContext';
import { queryKeys } from './queries';

export function useToneProfile() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.toneProfile,
    queryFn: () => api.get<ToneProfileDto>('/tone/profile'),
  });
}

export function useTemplates() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.templates,
    queryFn: () => api.get<Page<TemplateDto>>('/templates?limit=200'),
  });
}

/** A value that follows `value` once it has stopped changing for `delayMs`. */
export function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

export const TONE_CHECK_DEBOUNCE_MS = 300;

export interface ToneCheckInput {
  text: string;
  provider?: ChannelProvider;
  conversationId?: string;
  private?: boolean;
}

/**
 * The server's tone check of what is being typed, asked once the typing pauses. The last
 * answer stays shown while the next one is on its way, so underlines do not flicker.
 */
export function useToneCheck(input: ToneCheckInput, enabled = true) {
  const api = useApi();
  const settled = useDebounced(input, TONE_CHECK_DEBOUNCE_MS);
  const query = useQuery({
    queryKey: ['tone', 'check', settled],
    queryFn: ({ signal }) => api.post<ToneCheckResultDto>('/tone/check', settled, { signal }),
    enabled: enabled && settled.text.trim() !== '',
    staleTime: Infinity,
    placeholderData: (previous) => previous,
  });
  const current = settled.text === input.text && settled.private === input.private;
  return { ...query, current };
}

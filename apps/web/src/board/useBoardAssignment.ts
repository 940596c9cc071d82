import { useQueryClient } from '@tanstack/react-query';
import type { ConversationDto, EligibleUserDto } from '@toonbank/shared';
import { useCallback, useRef, useState } from 'react';
import { useAssign } from '../api/conversations';
import { queryKeys, refusedAsStale } from '../api/queries';
import { applyConversation } from '../realtime/cacheUpdates';
import { loadAfter } from './heldQueue';

/** An assignment that would take someone past their capacity: asked before it is sent. */
export interface CapacityQuestion {
  conversation: ConversationDto;
  person: EligibleUserDto;
  /** Their open conversations once this one is theirs. */
  load: number;
}

/** An assignment the server refused, with what it was about (for a message in its own words). */
export interface Refusal {
  reference: string;
  name: string;
  /** The server's refusal; none when the board itself saw the conversation go (`taken`). */
  error?: unknown;
  /** Someone else took the conversation while it was being dragged: nothing was sent. */
  taken?: boolean;
}

/**
 * Assignment from the board. Every request names the conversation by id (never by its place in
 * a list). A conversation being assigned leaves the queue at once and counts towards the
 * person's load until the server answered; its answer is written into the cache (the queue
 * loses it, the detail gains the assignee) before the card could come back. Each request keeps
 * its own answer (`mutateAsync`), so two quick drops never lose one's refusal to the other.
 */
export function useBoardAssignment(meId: string | undefined) {
  const { mutateAsync: assign } = useAssign();
  const queryClient = useQueryClient();
  const [moving, setMoving] = useState<ReadonlyMap<string, string>>(new Map());
  const movingRef = useRef(moving);
  movingRef.current = moving;
  const [question, setQuestion] = useState<CapacityQuestion | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);

  const run = useCallback(
    async (conversation: ConversationDto, person: EligibleUserDto) => {
      setRefusal(null);
      setMoving((all) => new Map(all).set(conversation.id, person.id));
      try {
        const updated = await assign({
          conversationId: conversation.id,
          userId: person.id,
        });
        applyConversation(queryClient, updated, meId, (queryKey) => {
          void queryClient.invalidateQueries({ queryKey, exact: true });
        });
      } catch (error) {
        setRefusal({ reference: conversation.reference, name: person.name, error });
        // Show the state as it now is: the queue and everyone's load, read again (a refusal
        // as stale, 404/409, has that done already by the query client: `useAssign`'s meta).
        if (!refusedAsStale(error)) {
          void queryClient.invalidateQueries({ queryKey: queryKeys.conversationLists });
          void queryClient.invalidateQueries({ queryKey: queryKeys.eligibleUsers });
        }
      } finally {
        setMoving((all) => {
          const next = new Map(all);
          next.delete(conversation.id);
          return next;
        });
      }
    },
    [assign, meId, queryClient],
  );

  /** Assigns at once, or asks first when it would take the person past their capacity. */
  const request = useCallback(
    (conversation: ConversationDto, person: EligibleUserDto) => {
      if (movingRef.current.has(conversation.id)) return;
      const load = loadAfter(person, movingRef.current, 1);
      if (load > person.capacity) setQuestion({ conversation, person, load });
      else void run(conversation, person);
    },
    [run],
  );

  return {
    /** Conversation id → user id of every assignment under way. */
    moving,
    request,
    question,
    confirm: () => {
      if (question) void run(question.conversation, question.person);
      setQuestion(null);
    },
    cancel: () => setQuestion(null),
    /** A dragged card left the queue during the drag: say so rather than take it from its holder. */
    reportTaken: (conversation: ConversationDto, person: EligibleUserDto) =>
      setRefusal({ reference: conversation.reference, name: person.name, taken: true }),
    refusal,
    dismissRefusal: () => setRefusal(null),
  };
}

import { useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAddNote } from '../api/conversations';
import { useMe } from '../api/queries';
import { useUsers } from '../api/team';
import { ErrorNotice } from '../ui/ErrorNotice';
import {
  colleaguesMatching,
  completeMention,
  mentionAt,
  sameMention,
  type MentionQuery,
} from './mentionSuggest';

/** An internal note: colleagues only, `@initials` or `@email` tells them (suggested as one types `@`). */
export function NoteForm({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  // The `@…` at the caret and the suggestion chosen with the arrow keys.
  const [typed, setTyped] = useState<{ at: MentionQuery; active: number } | null>(null);
  // Where the caret goes once React has written the text of a chosen mention: a new object
  // per choice, so the layout effect below runs exactly once for it (before the next key),
  // also when the completed text equals what was there, and never for later typing.
  const [caretRequest, setCaretRequest] = useState<{ at: number } | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const add = useAddNote(conversationId);
  const me = useMe();
  const users = useUsers();
  const suggestions = useMemo(
    () =>
      typed ? colleaguesMatching(users.data?.items ?? [], typed.at.query, me.data?.id ?? '') : [],
    [typed, users.data, me.data],
  );
  const open = suggestions.length > 0;
  const activeIndex = Math.min(typed?.active ?? 0, suggestions.length - 1);

  /**
   * The `@…` at the caret, read from the box itself: typing, arrow keys, Home/End and clicks
   * all move the caret, and only what the box holds now says what a choice would replace.
   */
  const follow = (element: HTMLTextAreaElement) => {
    const collapsed = element.selectionStart === element.selectionEnd;
    const next = collapsed ? mentionAt(element.value, element.selectionStart) : null;
    setTyped((previous) =>
      sameMention(previous?.at ?? null, next) ? previous : next && { at: next, active: 0 },
    );
  };
  /** Completes the `@…` at the caret as the box holds it now; false when there is none. */
  const choose = (initials: string) => {
    const element = box.current;
    if (!element) return false;
    const next = completeMention(element.value, element.selectionStart, initials);
    setTyped(null);
    if (!next) return false;
    setText(next.text);
    setCaretRequest({ at: next.caret });
    return true;
  };
  useLayoutEffect(() => {
    const element = box.current;
    if (!caretRequest || !element) return;
    element.focus();
    element.setSelectionRange(caretRequest.at, caretRequest.at);
  }, [caretRequest]);
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      const count = suggestions.length;
      setTyped((previous) => {
        if (!previous) return previous;
        const from = Math.min(previous.active, count - 1);
        return { ...previous, active: (from + step + count) % count };
      });
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      // With no `@…` at the caret any more, the key does what it always does.
      if (choose(suggestions[activeIndex]!.initials)) event.preventDefault();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      setTyped(null);
    }
  };

  return (
    <form
      className="note-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (text.trim()) add.mutate(text.trim(), { onSuccess: () => setText('') });
      }}
    >
      <label className="field">
        <span className="field-label">{t('conversation.note.label')}</span>
        <textarea
          ref={box}
          value={text}
          rows={2}
          maxLength={5000}
          placeholder={t('conversation.note.placeholder')}
          // A multi-line textbox with suggestions (role combobox is not allowed on a textarea).
          aria-autocomplete="list"
          aria-controls={listId}
          aria-activedescendant={open ? `${listId}-${activeIndex}` : undefined}
          onChange={(event) => {
            setText(event.target.value);
            follow(event.target);
          }}
          onSelect={(event) => follow(event.currentTarget)}
          onKeyDown={onKeyDown}
          onBlur={() => setTyped(null)}
        />
      </label>
      <ul
        id={listId}
        role="listbox"
        className="mention-list"
        aria-label={t('conversation.note.mentions')}
        hidden={!open}
      >
        {suggestions.map((user, index) => (
          <li
            key={user.id}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === activeIndex}
            className={index === activeIndex ? 'mention-option mention-active' : 'mention-option'}
            // Before the textarea's blur closes the list.
            onMouseDown={(event) => {
              event.preventDefault();
              choose(user.initials);
            }}
          >
            {user.name} <span className="mention-initials">@{user.initials}</span>
          </li>
        ))}
      </ul>
      <ErrorNotice error={add.error} />
      <button type="submit" className="button" disabled={!text.trim() || add.isPending}>
        {t('conversation.note.add')}
      </button>
    </form>
  );
}

import { useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAddNote } from '../api/conversations';
import { useMe } from '../api/queries';
import { useUsers } from '../api/team';
import { ErrorNotice } from '../ui/ErrorNotice';
import { colleaguesMatching, insertMention, mentionAt, type MentionQuery } from './mentionSuggest';

/** An internal note: colleagues only, `@initials` or `@email` tells them (suggested as one types `@`). */
export function NoteForm({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [typed, setTyped] = useState<MentionQuery | null>(null);
  const [active, setActive] = useState(0);
  const box = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const add = useAddNote(conversationId);
  const me = useMe();
  const users = useUsers();
  const suggestions = useMemo(
    () =>
      typed ? colleaguesMatching(users.data?.items ?? [], typed.query, me.data?.id ?? '') : [],
    [typed, users.data, me.data],
  );
  const open = suggestions.length > 0;

  const follow = (value: string, caret: number) => {
    setText(value);
    setTyped(mentionAt(value, caret));
    setActive(0);
  };
  // The caret goes after the inserted mention as soon as React has put the new text in the
  // box, before the next key: set later (a frame later), it would move back over what the
  // writer typed meanwhile.
  const caretAfterInsert = useRef<number | null>(null);
  const choose = (initials: string) => {
    const element = box.current;
    if (!typed || !element) return;
    const next = insertMention(text, typed, element.selectionStart, initials);
    caretAfterInsert.current = next.caret;
    setText(next.text);
    setTyped(null);
  };
  useLayoutEffect(() => {
    const caret = caretAfterInsert.current;
    const element = box.current;
    if (caret === null || !element) return;
    caretAfterInsert.current = null;
    element.focus();
    element.setSelectionRange(caret, caret);
  }, [text]);
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i + step + suggestions.length) % suggestions.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      choose(suggestions[active]!.initials);
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
          aria-activedescendant={open ? `${listId}-${active}` : undefined}
          onChange={(event) => follow(event.target.value, event.target.selectionStart)}
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
            aria-selected={index === active}
            className={index === active ? 'mention-option mention-active' : 'mention-option'}
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

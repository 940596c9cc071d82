import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../ui/ErrorNotice';
import { useAddNote } from '../api/conversations';

/** An internal note: colleagues only, `@initials` or `@email` tells them. */
export function NoteForm({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const add = useAddNote(conversationId);
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
          value={text}
          rows={2}
          maxLength={5000}
          placeholder={t('conversation.note.placeholder')}
          onChange={(event) => setText(event.target.value)}
        />
      </label>
      <ErrorNotice error={add.error} />
      <button type="submit" className="button" disabled={!text.trim() || add.isPending}>
        {t('conversation.note.add')}
      </button>
    </form>
  );
}

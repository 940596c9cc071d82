import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../ui/ErrorNotice';
import { useSetLabels } from '../api/conversations';

/** The same lower-case word the API accepts (letters, digits, `_`, `-`; at most 40). */
const LABEL = /^[\p{Ll}\p{N}][\p{Ll}\p{N}_-]{0,39}$/u;

export function LabelsEditor({
  conversationId,
  labels,
  editable,
}: {
  conversationId: string;
  labels: readonly string[];
  editable: boolean;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState('');
  const save = useSetLabels(conversationId);
  const candidate = draft.trim().toLowerCase();
  const valid = LABEL.test(candidate) && !labels.includes(candidate);
  return (
    <div className="labels">
      <ul className="label-list" aria-label={t('conversation.labels.title')}>
        {labels.map((label) => (
          <li key={label} className="label-chip">
            {label}
            {editable && (
              <button
                type="button"
                className="chip-remove"
                aria-label={t('conversation.labels.remove', { label })}
                disabled={save.isPending}
                onClick={() => save.mutate(labels.filter((l) => l !== label))}
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      {editable && (
        <form
          className="label-add"
          onSubmit={(event) => {
            event.preventDefault();
            if (valid) save.mutate([...labels, candidate], { onSuccess: () => setDraft('') });
          }}
        >
          <label>
            <span className="visually-hidden">{t('conversation.labels.new')}</span>
            <input
              type="text"
              value={draft}
              placeholder={t('conversation.labels.new')}
              maxLength={40}
              onChange={(event) => setDraft(event.target.value)}
            />
          </label>
          <button type="submit" className="button button-quiet" disabled={!valid || save.isPending}>
            {t('conversation.labels.add')}
          </button>
        </form>
      )}
      <ErrorNotice error={save.error} />
    </div>
  );
}

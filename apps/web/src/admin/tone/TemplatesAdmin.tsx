import {
  CHANNEL_PROVIDERS,
  ConflictReason,
  ErrorCode,
  renderTemplateSample,
  TEMPLATE_PLACEHOLDERS,
  TONE_LANGUAGES,
  type TemplateDto,
  type ToneFindingDto,
} from '@toonbank/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/ApiError';
import { conflictBecause } from '../../i18n/errorMessage';
import { useTemplates, useToneCheck } from '../../api/tone';
import { ToneFindings } from '../../conversation/ToneFindings';
import { ToneTextarea } from '../../conversation/ToneTextarea';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { SkeletonRows } from '../../ui/Skeleton';
import { useDeleteTemplate, useSaveTemplate, type TemplateDraft } from './api';

const EMPTY: TemplateDraft = { name: '', body: '', providers: [], language: null };

/** The templates: a list, and an editor that checks the tone of the text as it is written. */
export function TemplatesAdmin() {
  const { t } = useTranslation();
  const templates = useTemplates();
  const remove = useDeleteTemplate();
  const [editing, setEditing] = useState<TemplateDto | 'new' | null>(null);
  const items = templates.data?.items ?? [];
  return (
    <section className="admin-section" aria-labelledby="templates-title">
      <h2 id="templates-title">{t('adminTemplates.title')}</h2>
      <ErrorNotice error={templates.error} onRetry={() => void templates.refetch()} />
      <ErrorNotice error={remove.error} />
      {templates.isPending && !templates.isError ? (
        <SkeletonRows count={4} />
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('adminTemplates.name')}</th>
              <th scope="col">{t('adminTemplates.channels')}</th>
              <th scope="col">{t('adminTemplates.language')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('adminTemplates.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((template) => (
              <tr key={template.id}>
                <th scope="row">{template.name}</th>
                <td>
                  {template.providers.length === 0
                    ? t('adminTemplates.allChannels')
                    : template.providers.map((p) => t(`providers.${p}`)).join(', ')}
                </td>
                <td>{template.language ? t(`language.${template.language}`) : '—'}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="button button-quiet"
                    aria-label={t('adminTemplates.editNamed', { name: template.name })}
                    onClick={() => setEditing(template)}
                  >
                    {t('adminTemplates.edit')}
                  </button>
                  <button
                    type="button"
                    className="button button-quiet"
                    aria-label={t('adminTemplates.deleteNamed', { name: template.name })}
                    disabled={remove.isPending}
                    onClick={() => {
                      if (
                        window.confirm(t('adminTemplates.confirmDelete', { name: template.name }))
                      )
                        remove.mutate(template.id);
                    }}
                  >
                    {t('adminTemplates.delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {templates.data && items.length === 0 && <p className="muted">{t('adminTemplates.empty')}</p>}
      {editing === null ? (
        <button type="button" className="button section-action" onClick={() => setEditing('new')}>
          {t('adminTemplates.new')}
        </button>
      ) : (
        <TemplateEditor
          key={editing === 'new' ? 'new' : editing.id}
          template={editing === 'new' ? null : editing}
          onDone={() => setEditing(null)}
        />
      )}
    </section>
  );
}

function TemplateEditor({ template, onDone }: { template: TemplateDto | null; onDone(): void }) {
  const { t } = useTranslation();
  const save = useSaveTemplate();
  const [draft, setDraft] = useState<TemplateDraft>(
    template
      ? {
          name: template.name,
          body: template.body,
          providers: template.providers,
          language: template.language,
        }
      : EMPTY,
  );
  const sample = renderTemplateSample(draft.body);
  const check = useToneCheck({ text: sample, provider: draft.providers[0] });
  const refused =
    isApiError(save.error) && save.error.code === ErrorCode.ToneViolations
      ? ((save.error.details?.findings as ToneFindingDto[] | undefined) ?? [])
      : null;
  const findings = refused ?? check.data?.findings ?? [];
  const toggleProvider = (provider: (typeof CHANNEL_PROVIDERS)[number], on: boolean) =>
    setDraft({
      ...draft,
      providers: on
        ? [...draft.providers, provider]
        : draft.providers.filter((p) => p !== provider),
    });

  return (
    <form
      className="form card"
      aria-label={
        template ? t('adminTemplates.editNamed', { name: template.name }) : t('adminTemplates.new')
      }
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ id: template?.id, draft }, { onSuccess: onDone });
      }}
    >
      <div className="form-row">
        <label className="field">
          <span className="field-label">{t('adminTemplates.name')}</span>
          <input
            value={draft.name}
            required
            maxLength={100}
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
          />
        </label>
        <label className="field">
          <span className="field-label">{t('adminTemplates.language')}</span>
          <select
            value={draft.language ?? ''}
            onChange={(e) =>
              setDraft({
                ...draft,
                language: (e.target.value || null) as TemplateDraft['language'],
              })
            }
          >
            <option value="">{t('adminTemplates.profileLanguage')}</option>
            {TONE_LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t(`language.${l}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset className="fieldset">
        <legend>{t('adminTemplates.channels')}</legend>
        {CHANNEL_PROVIDERS.map((provider) => (
          <label key={provider} className="checkbox">
            <input
              type="checkbox"
              checked={draft.providers.includes(provider)}
              onChange={(e) => toggleProvider(provider, e.target.checked)}
            />
            {t(`providers.${provider}`)}
          </label>
        ))}
        <p className="muted">{t('adminTemplates.channelsHint')}</p>
      </fieldset>
      <label className="field">
        <span className="field-label">{t('adminTemplates.body')}</span>
        <textarea
          value={draft.body}
          rows={4}
          required
          onChange={(e) => {
            save.reset();
            setDraft({ ...draft, body: e.target.value });
          }}
        />
      </label>
      <p className="muted">
        {t('adminTemplates.placeholders')}{' '}
        {TEMPLATE_PLACEHOLDERS.map((name) => (
          <code key={name}>{`{{${name}}}`} </code>
        ))}
        {t('adminTemplates.freeSlots')} <code>{'{{input.order}}'}</code>
      </p>
      <div className="field">
        <label className="field-label" htmlFor="template-sample">
          {t('adminTemplates.sample')}
        </label>
        <ToneTextarea
          id="template-sample"
          value={sample}
          readOnly
          onValueChange={() => undefined}
          findings={findings}
          rows={3}
          aria-describedby="template-findings"
        />
      </div>
      <ToneFindings id="template-findings" findings={findings} />
      {!refused && (
        <ErrorNotice
          error={save.error}
          overrides={{ [conflictBecause(ConflictReason.NameTaken)]: t('adminTemplates.duplicate') }}
        />
      )}
      <div className="dialog-actions">
        <button type="button" className="button button-quiet" onClick={onDone}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {t('adminTemplates.save')}
        </button>
      </div>
    </form>
  );
}

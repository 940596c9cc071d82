import {
  ADDRESS_FORMS,
  CHANNEL_PROVIDERS,
  SIGNOFF_PATTERN_MAX_LENGTH,
  TONE_LANGUAGES,
  type AddressForm,
  type ToneProfileDto,
} from '@toonbank/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useToneProfile } from '../../api/tone';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { SkeletonRows } from '../../ui/Skeleton';
import { useSaveToneProfile } from './api';

/** The organisation's tone of voice: language, form of address, forbidden phrases, sign-off, emoji. */
export function ToneProfileAdmin() {
  const profile = useToneProfile();
  const save = useSaveToneProfile();
  if (!profile.data) {
    return profile.isError ? (
      <ErrorNotice error={profile.error} onRetry={() => void profile.refetch()} />
    ) : (
      <SkeletonRows count={6} />
    );
  }
  // Keyed by the saved profile: the form starts again from what the server kept.
  return <ToneProfileForm key={JSON.stringify(profile.data)} saved={profile.data} save={save} />;
}

function ToneProfileForm({
  saved,
  save,
}: {
  saved: ToneProfileDto;
  save: ReturnType<typeof useSaveToneProfile>;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<ToneProfileDto>(saved);
  const set = <K extends keyof ToneProfileDto>(key: K, value: ToneProfileDto[K]) =>
    setDraft({ ...draft, [key]: value });
  const address = draft.addressForm;
  const phrases = draft.forbiddenPhrases;
  const setPhrase = (index: number, field: 'phrase' | 'suggestion', value: string) =>
    set(
      'forbiddenPhrases',
      phrases.map((p, i) => (i === index ? { ...p, [field]: value } : p)),
    );
  const changed = JSON.stringify(draft) !== JSON.stringify(saved);

  return (
    <section className="admin-section" aria-labelledby="tone-title">
      <h2 id="tone-title">{t('adminTone.title')}</h2>
      <form
        className="form card"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate({
            ...draft,
            forbiddenPhrases: phrases.filter((p) => p.phrase.trim() !== ''),
          });
        }}
      >
        <div className="form-row">
          <label className="field">
            <span className="field-label">{t('adminTone.language')}</span>
            <select
              value={draft.language}
              onChange={(e) => set('language', e.target.value as ToneProfileDto['language'])}
            >
              {TONE_LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t(`language.${l}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">{t('adminTone.defaultForm')}</span>
            <select
              value={address.default}
              onChange={(e) =>
                set('addressForm', { ...address, default: e.target.value as AddressForm })
              }
            >
              {ADDRESS_FORMS.map((f) => (
                <option key={f} value={f}>
                  {t(`adminTone.form.${f}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <fieldset className="fieldset">
          <legend>{t('adminTone.perChannel')}</legend>
          <div className="form-row">
            {CHANNEL_PROVIDERS.map((provider) => (
              <label key={provider} className="field">
                <span className="field-label">{t(`providers.${provider}`)}</span>
                <select
                  value={address.perChannel[provider] ?? ''}
                  onChange={(e) => {
                    const perChannel = { ...address.perChannel };
                    if (e.target.value) perChannel[provider] = e.target.value as AddressForm;
                    else delete perChannel[provider];
                    set('addressForm', { ...address, perChannel });
                  }}
                >
                  <option value="">{t('adminTone.asDefault')}</option>
                  {ADDRESS_FORMS.map((f) => (
                    <option key={f} value={f}>
                      {t(`adminTone.form.${f}`)}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
        </fieldset>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={address.mirrorCustomer}
            onChange={(e) => set('addressForm', { ...address, mirrorCustomer: e.target.checked })}
          />
          {t('adminTone.mirrorCustomer')}
        </label>
        <fieldset className="fieldset">
          <legend>{t('adminTone.phrases')}</legend>
          {phrases.map((p, index) => (
            <div key={index} className="form-row">
              <label className="field">
                <span className="field-label">{t('adminTone.phrase')}</span>
                <input
                  value={p.phrase}
                  maxLength={100}
                  onChange={(e) => setPhrase(index, 'phrase', e.target.value)}
                />
              </label>
              <label className="field">
                <span className="field-label">{t('adminTone.suggestion')}</span>
                <input
                  value={p.suggestion}
                  maxLength={200}
                  onChange={(e) => setPhrase(index, 'suggestion', e.target.value)}
                />
              </label>
              <button
                type="button"
                className="button button-quiet"
                aria-label={t('adminTone.removePhrase', { phrase: p.phrase })}
                onClick={() =>
                  set(
                    'forbiddenPhrases',
                    phrases.filter((_, i) => i !== index),
                  )
                }
              >
                ×
              </button>
            </div>
          ))}
          <button
            type="button"
            className="button button-quiet"
            onClick={() => set('forbiddenPhrases', [...phrases, { phrase: '', suggestion: '' }])}
          >
            {t('adminTone.addPhrase')}
          </button>
        </fieldset>
        <div className="form-row">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={draft.signoff.required}
              onChange={(e) => set('signoff', { ...draft.signoff, required: e.target.checked })}
            />
            {t('adminTone.signoffRequired')}
          </label>
          <label className="field">
            <span className="field-label">{t('adminTone.signoffPattern')}</span>
            <input
              value={draft.signoff.pattern}
              maxLength={SIGNOFF_PATTERN_MAX_LENGTH}
              spellCheck={false}
              onChange={(e) => set('signoff', { ...draft.signoff, pattern: e.target.value })}
            />
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={draft.emojiAllowed}
              onChange={(e) => set('emojiAllowed', e.target.checked)}
            />
            {t('adminTone.emojiAllowed')}
          </label>
        </div>
        <ErrorNotice error={save.error} />
        {save.isSuccess && !changed && (
          <p className="notice notice-ok" role="status">
            {t('adminTone.saved')}
          </p>
        )}
        <div>
          <button
            type="submit"
            className="button button-primary"
            disabled={!changed || save.isPending}
          >
            {t('adminTone.save')}
          </button>
        </div>
      </form>
    </section>
  );
}

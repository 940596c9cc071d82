import { decideResponse, mayOverrideTone } from '@toonbank/policy';
import {
  channelLengthRule,
  ErrorCode,
  PIONEER_INPUT_MAX_LENGTH,
  placeholderValues,
  renderTemplate,
  type ConversationDto,
  type ToneFindingDto,
  type UserDto,
} from '@toonbank/shared';
import { measureLength } from '@toonbank/tone';
import { useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../ui/ErrorNotice';
import { PHONE_QUERY, useMediaQuery } from '../ui/useMediaQuery';
import { isApiError } from '../api/ApiError';
import { useSendReply, type NewReply } from '../api/replies';
import { usePolicy } from '../api/team';
import { useTemplates, useToneCheck } from '../api/tone';
import { useAnnounceComposing, useComposerPresence } from '../realtime/RealtimeProvider';
import { ReasonDialog } from '../ui/ReasonDialog';
import { SkeletonRows } from '../ui/Skeleton';
import { fitsProvider } from './templateChoice';
import { TemplatePicker } from './TemplatePicker';
import { ToneFindings } from './ToneFindings';
import { ToneTextarea } from './ToneTextarea';
import { hasErrors } from './toneSegments';

/**
 * Writing a reply: free text or a template (the policy may require one), checked against the
 * tone of voice as one types, counted the way the channel counts, and sent, queued for
 * approval, or (team leads and admins) sent over the tone errors with a reason.
 *
 * On a phone it sits at the bottom of the screen over the thread, so while it is not in use
 * it is one line (`composer-compact`): the reply box (or, where templates rule, the template
 * search) and the send button. Focusing it (a tap, `r`, "Antwoorden") or anything in it
 * (text, a chosen template, a refusal, an error) opens it whole.
 */
export function Composer({ conversation, me }: { conversation: ConversationDto; me: UserDto }) {
  const { t } = useTranslation();
  const ids = { text: useId(), findings: useId(), counter: useId() };
  const policy = usePolicy();
  const templates = useTemplates();
  const send = useSendReply(conversation.id);
  const others = useComposerPresence(conversation.id);
  const textarea = useRef<HTMLTextAreaElement>(null);

  const [text, setText] = useState('');
  const [templateId, setTemplateId] = useState('');
  const [inputs, setInputs] = useState<Record<string, string>>({});
  const [answerPrivately, setAnswerPrivately] = useState(false);
  const [overriding, setOverriding] = useState(false);
  const [activeFinding, setActiveFinding] = useState<ToneFindingDto | null>(null);
  const [refused, setRefused] = useState<ToneFindingDto[] | null>(null);
  const [focused, setFocused] = useState(false);
  const phone = useMediaQuery(PHONE_QUERY);

  const decision = policy.data
    ? decideResponse(
        policy.data.matrix,
        policy.data.level,
        {
          role: me.role,
          active: me.active,
          trainedAt: me.trainedAt ? new Date(me.trainedAt) : null,
        },
        new Date(),
      )
    : null;
  const templateOnly = decision?.template ?? false;
  const needsApproval = (decision?.approval ?? false) && !me.approvalLifted;
  const approvalsToLift = policy.data?.trustLadder.approvalsToLift ?? null;

  const usable = useMemo(
    () => (templates.data?.items ?? []).filter((tpl) => fitsProvider(tpl, conversation.provider)),
    [templates.data, conversation.provider],
  );
  const template = usable.find((tpl) => tpl.id === templateId);
  const values = placeholderValues(conversation, me);
  const draft = template ? renderTemplate(template.body, values, inputs) : text;
  const directRule = channelLengthRule(conversation.provider, true);
  const lengthRule = channelLengthRule(conversation.provider, answerPrivately && !!directRule);
  const length = lengthRule ? measureLength(draft, lengthRule) : 0;

  const check = useToneCheck({
    text: draft,
    provider: conversation.provider,
    conversationId: conversation.id,
    private: answerPrivately,
  });
  const findings = refused ?? check.data?.findings ?? [];
  const blocked = hasErrors(findings);
  const checked = draft.trim() !== '' && check.current && !check.isFetching && !check.isError;
  const mayOverride = mayOverrideTone(me);
  const writing = text !== '' || templateId !== '';
  useAnnounceComposing(conversation.id, writing);
  const inUse =
    focused || writing || overriding || refused !== null || send.isPending || send.isError;
  const compact = phone && !inUse;

  const reset = () => {
    setText('');
    setTemplateId('');
    setInputs({});
    setRefused(null);
  };
  const submit = (overrideReason?: string) => {
    const body: NewReply = template ? { templateId: template.id, variables: inputs } : { text };
    send.mutate(
      {
        ...body,
        ...(answerPrivately ? { private: true } : {}),
        ...(overrideReason ? { overrideReason } : {}),
      },
      {
        onSuccess: reset,
        onError: (error) => {
          if (isApiError(error) && error.code === ErrorCode.ToneViolations) {
            setRefused((error.details?.findings as ToneFindingDto[] | undefined) ?? null);
          }
        },
      },
    );
  };
  const selectFinding = (finding: ToneFindingDto) => {
    if (template || !textarea.current) return;
    textarea.current.focus();
    textarea.current.setSelectionRange(finding.start, finding.end);
  };

  const sendLabel = needsApproval ? t('composer.sendForApproval') : t('composer.send');
  // Until the policy says whether a template is required, no box to type in: one that the
  // policy then takes away would lose the focus (and whatever was typed).
  if (!decision)
    return (
      <section className="composer" aria-label={t('composer.title')}>
        {policy.isError ? (
          <ErrorNotice error={policy.error} onRetry={() => void policy.refetch()} />
        ) : (
          <SkeletonRows count={2} />
        )}
      </section>
    );
  return (
    <section
      className={compact ? 'composer composer-compact' : 'composer'}
      aria-label={t('composer.title')}
      onFocus={() => setFocused(true)}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setFocused(false);
      }}
    >
      {others.length > 0 && (
        <p className="notice notice-warn composer-collision" role="status">
          {t('composer.collision', {
            names: others.map((o) => o.name).join(', '),
            count: others.length,
          })}
        </p>
      )}
      {templateOnly && !compact && (
        <p className="notice">{t('composer.policy.templateRequired')}</p>
      )}
      {needsApproval && !compact && (
        <p className="notice">
          {approvalsToLift === null
            ? t('composer.policy.approval')
            : t('composer.policy.approvalLadder', {
                earned: me.approvalsEarned,
                needed: approvalsToLift,
              })}
        </p>
      )}

      {(templateOnly || !compact) && (
        <div className="composer-row">
          <TemplatePicker
            templates={usable}
            provider={conversation.provider}
            templateOnly={templateOnly}
            values={values}
            chosen={template}
            placeholder={compact ? t('composer.search') : undefined}
            onChoose={(id) => {
              setTemplateId(id);
              setInputs({});
              setRefused(null);
            }}
          />
          {directRule && !compact && (
            <label className="checkbox">
              <input
                type="checkbox"
                checked={answerPrivately}
                onChange={(event) => setAnswerPrivately(event.target.checked)}
              />
              {t('composer.private')}
            </label>
          )}
        </div>
      )}

      {template &&
        template.inputs.map((name) => (
          <label key={name} className="field">
            <span className="field-label">{t('composer.slot', { name })}</span>
            <input
              type="text"
              value={inputs[name] ?? ''}
              maxLength={policy.data?.level === 1 ? PIONEER_INPUT_MAX_LENGTH : undefined}
              onChange={(event) => {
                setInputs({ ...inputs, [name]: event.target.value.replace(/[\r\n]/g, ' ') });
                setRefused(null);
              }}
            />
          </label>
        ))}

      {(template || !templateOnly) && (
        <div className="field">
          <label className="field-label" htmlFor={ids.text}>
            {template ? t('composer.preview') : t('composer.text')}
          </label>
          <ToneTextarea
            id={ids.text}
            ref={textarea}
            value={draft}
            readOnly={!!template}
            onValueChange={(value) => {
              setText(value);
              setRefused(null);
            }}
            findings={findings}
            activeFinding={activeFinding}
            rows={compact ? 1 : 5}
            placeholder={compact ? t('composer.text') : undefined}
            aria-invalid={blocked}
            aria-describedby={compact ? ids.findings : `${ids.findings} ${ids.counter}`}
            {...(templateOnly ? {} : { 'data-composer-focus': '' })}
          />
        </div>
      )}

      {!compact && (
        <div className="composer-meta">
          {lengthRule && (
            <span
              id={ids.counter}
              className={length > lengthRule.limit ? 'counter counter-over' : 'counter'}
            >
              {t('composer.length', { length, limit: lengthRule.limit })}
            </span>
          )}
          <span className="muted" aria-live="polite">
            {draft.trim() === ''
              ? ''
              : !checked
                ? t('composer.checking')
                : blocked
                  ? t('composer.blocked')
                  : t('composer.clean')}
          </span>
        </div>
      )}
      <ToneFindings
        id={ids.findings}
        findings={findings}
        onSelect={selectFinding}
        onActive={setActiveFinding}
      />

      {!refused && <ErrorNotice error={send.error} />}
      <div className="composer-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={!checked || blocked || send.isPending}
          onClick={() => submit()}
        >
          {send.isPending ? t('composer.sending') : sendLabel}
        </button>
        {mayOverride && blocked && checked && (
          <button
            type="button"
            className="button button-danger"
            disabled={send.isPending}
            onClick={() => setOverriding(true)}
          >
            {t('composer.override.open')}
          </button>
        )}
      </div>
      {overriding && (
        <ReasonDialog
          title={t('composer.override.title')}
          explanation={t('composer.override.explain')}
          label={t('composer.override.reason')}
          confirmLabel={t('composer.override.confirm')}
          maxLength={500}
          onClose={() => setOverriding(false)}
          onConfirm={(reason) => {
            setOverriding(false);
            submit(reason);
          }}
        />
      )}
    </section>
  );
}

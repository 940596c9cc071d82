import { ErrorCode, type ChannelProvider, type ChannelProviderDto } from '@toonbank/shared';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/ApiError';
import type { nl } from '../../i18n/nl';
import { AdminForm } from '../users/AdminForm';
import { Field } from '../users/Field';
import { FormError, invalidFields, type InvalidField } from '../users/FormError';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { SkeletonRows } from '../../ui/Skeleton';
import { useChannelProviders, useConnectChannel, type ConnectChannelBody } from './api';
import {
  DEFAULT_POLL_SECONDS,
  MAX_POLL_SECONDS,
  MIN_POLL_SECONDS,
  NAME_MAX_LENGTH,
  channelConfig,
  configProblems,
  withoutSecrets,
  type ChannelField,
  type ConfigValues,
} from './channelFields';

type FieldName = keyof typeof nl.adminChannels.fields;

const INPUT_TYPES = { url: 'url', text: 'text', secret: 'password' } as const;

/** A config field's label: the web app's words for the keys it knows, else the server's. */
function useFieldLabel() {
  const { t } = useTranslation();
  return (key: string, serverLabel?: string) =>
    t(`adminChannels.fields.${key as FieldName}`, { defaultValue: serverLabel ?? key });
}

const pollSecondsOk = (text: string) =>
  /^\d+$/.test(text) && Number(text) >= MIN_POLL_SECONDS && Number(text) <= MAX_POLL_SECONDS;

/**
 * Connect a channel account (POST /api/channels): the provider, a name, the poll interval and
 * the provider's own config fields, as the server describes them (GET /api/channels/providers).
 * The server checks the credentials with the channel before saving; secret inputs are emptied
 * as soon as the request leaves, whatever the answer.
 */
export function ConnectChannelForm({ onConnected }: { onConnected(name: string): void }) {
  const errorId = useId();
  const providers = useChannelProviders();
  if (providers.data && providers.data.length > 0)
    return <ProviderForm providers={providers.data} onConnected={onConnected} />;
  if (providers.isError) {
    return (
      <div id={errorId}>
        <ErrorNotice error={providers.error} onRetry={() => void providers.refetch()} />
      </div>
    );
  }
  return <SkeletonRows count={4} />;
}

function ProviderForm({
  providers,
  onConnected,
}: {
  providers: readonly ChannelProviderDto[];
  onConnected(name: string): void;
}) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  const connect = useConnectChannel();
  const errorId = useId();
  const [provider, setProvider] = useState<ChannelProvider>(providers[0]!.provider);
  const [name, setName] = useState('');
  const [pollSeconds, setPollSeconds] = useState('');
  const [values, setValues] = useState<ConfigValues>({});
  const [problems, setProblems] = useState<string[]>([]);
  const spec = providers.find((p) => p.provider === provider) ?? providers[0]!;
  const refused = useRefusal(connect.error, problems, spec.fields);
  const check = (field: string) => ({ invalid: refused.invalid.has(field), errorId });

  const hint = (field: ChannelField) =>
    field.kind === 'secret'
      ? t('adminChannels.connect.secretHint')
      : !field.required
        ? t('adminChannels.connect.defaultHost', { host: field.placeholder })
        : undefined;

  const submit = () => {
    const found = [
      ...(name.trim() ? [] : ['name']),
      ...(pollSeconds === '' || pollSecondsOk(pollSeconds) ? [] : ['pollIntervalSeconds']),
      ...spec.fields.filter((f) => f.required && !values[f.key]?.trim()).map((f) => f.key),
    ];
    setProblems(found);
    if (found.length > 0) return connect.reset();
    const body: ConnectChannelBody = {
      provider: spec.provider,
      name: name.trim(),
      config: channelConfig(spec.fields, values),
    };
    if (spec.ingest === 'poll' && pollSeconds !== '')
      body.pollIntervalSeconds = Number(pollSeconds);
    setValues(withoutSecrets(spec.fields, values));
    connect.mutate(body, {
      onSuccess: (channel) => {
        setName('');
        setPollSeconds('');
        setValues({});
        onConnected(channel.name);
      },
    });
  };

  return (
    <AdminForm
      title={t('adminChannels.connect.title')}
      submitLabel={t('adminChannels.connect.submit')}
      pendingLabel={t('adminChannels.connect.submitting')}
      pending={connect.isPending}
      onSubmit={submit}
      after={
        <>
          {spec.ingest === 'webhook' && (
            <p className="muted">{t('adminChannels.connect.webhookHint')}</p>
          )}
          <FormError
            id={errorId}
            error={connect.error}
            message={refused.message}
            fields={refused.fields}
          />
        </>
      }
    >
      <Field label={t('adminChannels.fields.provider')} {...check('provider')}>
        {(control) => (
          <select
            {...control}
            value={provider}
            onChange={(event) => {
              setProvider(event.target.value as ChannelProvider);
              setValues({});
              setProblems([]);
              connect.reset();
            }}
          >
            {providers.map(({ provider: p }) => (
              <option key={p} value={p}>
                {t(`providers.${p}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label={t('adminChannels.fields.name')}
        hint={t('adminChannels.connect.nameHint')}
        {...check('name')}
      >
        {(control) => (
          <input
            {...control}
            value={name}
            required
            maxLength={NAME_MAX_LENGTH}
            onChange={(event) => setName(event.target.value)}
          />
        )}
      </Field>
      {spec.ingest === 'poll' && (
        <Field
          label={t('adminChannels.fields.pollIntervalSeconds')}
          hint={t('adminChannels.connect.pollHint', {
            min: MIN_POLL_SECONDS,
            max: MAX_POLL_SECONDS,
            default: DEFAULT_POLL_SECONDS,
          })}
          {...check('pollIntervalSeconds')}
        >
          {(control) => (
            <input
              {...control}
              type="number"
              inputMode="numeric"
              min={MIN_POLL_SECONDS}
              max={MAX_POLL_SECONDS}
              step={1}
              value={pollSeconds}
              onChange={(event) => setPollSeconds(event.target.value.trim())}
            />
          )}
        </Field>
      )}
      {spec.fields.map((field) => (
        <Field
          key={`${provider}-${field.key}`}
          label={
            field.required
              ? label(field.key, field.label)
              : `${label(field.key, field.label)} ${t('adminChannels.connect.optional')}`
          }
          hint={hint(field)}
          {...check(field.key)}
        >
          {(control) => (
            <input
              {...control}
              type={INPUT_TYPES[field.kind]}
              value={values[field.key] ?? ''}
              required={field.required}
              placeholder={field.placeholder}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) =>
                setValues((current) => ({ ...current, [field.key]: event.target.value }))
              }
            />
          )}
        </Field>
      ))}
    </AdminForm>
  );
}

/**
 * Why the connect form was refused: the fields this side found blank or wrong, those a 400
 * names (the config's own fields taken out of `details.errors.config`), and a plain message
 * for refused credentials or a channel that could not be reached to check them.
 */
function useRefusal(
  error: unknown,
  local: readonly string[],
  configFields: readonly ChannelField[],
) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  const named = invalidFields(error);
  const config = configProblems(isApiError(error) ? error.details : undefined);
  const names = [
    ...new Set([
      ...local,
      ...named.filter((n) => n !== 'config' || config.size === 0),
      ...config.keys(),
    ]),
  ];
  const fields: InvalidField[] = names.map((n) => ({
    name: n,
    label: label(n, configFields.find((field) => field.key === n)?.label),
    problem: config.get(n),
  }));
  let message: string | undefined;
  if (isApiError(error) && error.code === ErrorCode.ChannelCredentialsInvalid)
    message = t('adminChannels.connect.credentialsInvalid');
  else if (isApiError(error) && error.code === ErrorCode.Unavailable && error.statusCode === 503)
    message = t('adminChannels.connect.unreachable');
  else if (isApiError(error) && error.code === ErrorCode.Conflict)
    message = t('adminChannels.connect.alreadyConnected');
  return { invalid: new Set(names), fields, message };
}

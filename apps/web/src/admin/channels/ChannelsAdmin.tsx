import { roleHasPermission } from '@toonbank/policy';
import { ConflictReason, Permission, type ChannelDto } from '@toonbank/shared';
import { conflictBecause } from '../../i18n/errorMessage';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/queries';
import { ChannelIcon } from '../../inbox/ChannelIcon';
import { AddPanel, AdminTableSection, RowButton } from '../users/AdminTableSection';
import { ConfirmDialog } from '../users/ConfirmDialog';
import {
  useChannelProviders,
  useChannels,
  useDeleteChannel,
  usePollChannel,
  useSetChannelStatus,
} from './api';
import { ConnectChannelForm } from './ConnectChannelForm';
import { formatMoment } from '../../ui/formatTime';

/**
 * The organisation's channel accounts and their health: status (with the last error of a
 * degraded one and how long the channel throttles us), the last poll, the interval and how
 * messages come in. Admins poll now, pause, resume, remove (after a confirmation; the
 * conversations are kept) and connect channels; team leads only read.
 */
export function ChannelsAdmin() {
  const { t } = useTranslation();
  const me = useMe().data;
  const canRead = me !== undefined && roleHasPermission(me.role, Permission.ChannelRead);
  const canManage = me !== undefined && roleHasPermission(me.role, Permission.ChannelManage);
  const { query, items: channels } = useChannels(canRead);
  // Read before the connect form opens, so that it opens with the providers' fields.
  useChannelProviders(canManage);
  const poll = usePollChannel();
  const setStatus = useSetChannelStatus();
  const remove = useDeleteChannel();
  const [polled, setPolled] = useState<string | null>(null);
  const [removing, setRemoving] = useState<ChannelDto | null>(null);
  const [connected, setConnected] = useState<string | null>(null);
  if (!me || !canRead) return null;

  const pollNow = (channel: ChannelDto) => {
    setPolled(null);
    poll.mutate(channel.id, {
      onSuccess: (answer) =>
        setPolled(
          'jobId' in answer
            ? t('adminChannels.pollContinues', { name: channel.name })
            : t('adminChannels.polled', { ...answer, name: channel.name }),
        ),
    });
  };

  return (
    <AdminTableSection
      title={t('adminChannels.title')}
      intro={t('adminChannels.intro')}
      query={query}
      count={channels.length}
      error={poll.error ?? setStatus.error}
      errorOverrides={{
        [conflictBecause(ConflictReason.ChannelPaused)]: t('adminChannels.pollRefused'),
        [conflictBecause(ConflictReason.ChannelPushes)]: t('adminChannels.pollRefused'),
      }}
      empty={t('adminChannels.empty')}
      loadMoreLabel={t('adminChannels.loadMore')}
      columns={[
        t('adminChannels.columns.channel'),
        t('adminChannels.columns.account'),
        t('adminChannels.columns.status'),
        t('adminChannels.columns.lastPolled'),
        t('adminChannels.columns.interval'),
        t('adminChannels.columns.ingest'),
      ]}
      actionsLabel={canManage ? t('adminChannels.columns.actions') : undefined}
      notices={
        polled && (
          <p className="notice notice-ok" role="status">
            {polled}
          </p>
        )
      }
      rows={channels.map((channel) => {
        const polling = poll.isPending && poll.variables === channel.id;
        const next = channel.status === 'paused' ? 'active' : 'paused';
        return (
          <ChannelRow key={channel.id} channel={channel}>
            {canManage && (
              <td>
                <div className="row-actions">
                  {channel.ingest === 'poll' && (
                    <RowButton
                      label={polling ? t('adminChannels.polling') : t('adminChannels.poll')}
                      name={t('adminChannels.pollChannel', { name: channel.name })}
                      disabled={polling || channel.status === 'paused'}
                      onClick={() => pollNow(channel)}
                    />
                  )}
                  <RowButton
                    label={t(next === 'paused' ? 'adminChannels.pause' : 'adminChannels.resume')}
                    name={t(
                      next === 'paused'
                        ? 'adminChannels.pauseChannel'
                        : 'adminChannels.resumeChannel',
                      { name: channel.name },
                    )}
                    disabled={setStatus.isPending}
                    onClick={() => setStatus.mutate({ id: channel.id, status: next })}
                  />
                  <RowButton
                    label={t('adminChannels.remove')}
                    name={t('adminChannels.removeChannel', { name: channel.name })}
                    onClick={() => {
                      remove.reset();
                      setRemoving(channel);
                    }}
                  />
                </div>
              </td>
            )}
          </ChannelRow>
        );
      })}
    >
      {canManage ? (
        <AddPanel
          label={t('adminChannels.connect.open')}
          notice={connected && t('adminChannels.connect.connected', { name: connected })}
        >
          <ConnectChannelForm onConnected={setConnected} />
        </AddPanel>
      ) : (
        <p className="muted">{t('adminChannels.readOnly')}</p>
      )}
      {removing && (
        <ConfirmDialog
          title={t('adminChannels.removeTitle', { name: removing.name })}
          confirmLabel={t('adminChannels.remove')}
          pending={remove.isPending}
          error={remove.error}
          onClose={() => setRemoving(null)}
          onConfirm={() => remove.mutate(removing.id, { onSuccess: () => setRemoving(null) })}
        >
          <p>{t('adminChannels.removeExplain')}</p>
        </ConfirmDialog>
      )}
    </AdminTableSection>
  );
}

/** One channel's facts as table cells; `children` are the action cell. */
function ChannelRow({ channel, children }: { channel: ChannelDto; children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const time = (iso: string) => formatMoment(iso, i18n.language);
  return (
    <tr>
      <th scope="row">
        <span className="channel-name">
          <ChannelIcon provider={channel.provider} /> {channel.name}
        </span>
      </th>
      <td>{channel.handle ?? '—'}</td>
      <td>
        <span className={`channel-status channel-status-${channel.status}`}>
          {t(`adminChannels.statuses.${channel.status}`)}
        </span>
        {channel.status === 'degraded' && channel.lastError && (
          <span className="channel-detail channel-error">
            {t('adminChannels.lastError', { error: channel.lastError })}
          </span>
        )}
        {channel.throttledUntil && (
          <span className="channel-detail muted">
            {t('adminChannels.throttled', { time: time(channel.throttledUntil) })}
          </span>
        )}
      </td>
      <td>
        {channel.lastPolledAt ? (
          time(channel.lastPolledAt)
        ) : (
          <span className="muted">{t('adminChannels.never')}</span>
        )}
      </td>
      <td>
        {channel.ingest === 'poll'
          ? t('adminChannels.every', { count: channel.pollIntervalSeconds })
          : '—'}
      </td>
      <td>{t(`adminChannels.ingestKinds.${channel.ingest}`)}</td>
      {children}
    </tr>
  );
}

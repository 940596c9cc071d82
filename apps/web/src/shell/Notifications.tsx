import { useEffect } from 'react';
import type { NotificationDto } from '@toonbank/shared';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useRealtime, type LiveNotification } from '../realtime/RealtimeProvider';

/** A toast leaves by itself after this long (it can be dismissed earlier). */
export const TOAST_MS = 12_000;
/** At most this many toasts show at once (the newest); the rest are counted, not stacked. */
export const VISIBLE_TOASTS = 3;

/**
 * Live notifications (mentions, SLA breaches, approvals) and the state of the live link. The
 * toasts have a corner of their own, bottom left, away from the board's team column (the drop
 * targets) and the composer: a few at most, each dismissable, all at once too.
 */
export function Notifications() {
  const { t } = useTranslation();
  const { notifications, dismissNotification, connected } = useRealtime();
  const hidden = notifications.length - VISIBLE_TOASTS;
  return (
    <div className="notifications">
      <span className={connected ? 'live live-on' : 'live live-off'} role="status">
        {connected ? t('live.connected') : t('live.reconnecting')}
      </span>
      <div className="toast-region">
        <ul className="toasts" aria-live="polite" aria-label={t('notifications.title')}>
          {notifications.slice(0, VISIBLE_TOASTS).map((notification) => (
            <Toast
              key={notification.key}
              notification={notification}
              dismiss={dismissNotification}
            />
          ))}
        </ul>
        {notifications.length > 1 && (
          <p className="toast-more">
            {hidden > 0 && <span>{t('notifications.more', { count: hidden })}</span>}
            <button
              type="button"
              className="button button-quiet"
              onClick={() => {
                for (const notification of notifications) dismissNotification(notification.key);
              }}
            >
              {t('notifications.dismissAll')}
            </button>
          </p>
        )}
      </div>
    </div>
  );
}

/**
 * The sentence in the user's language from the notification's fields; the server's own
 * (English) text where they are missing (an older server).
 */
export function notificationBody(t: TFunction, notification: NotificationDto): string {
  const { type, actorName, quote, reference } = notification;
  const complete = type === 'sla_breach' ? reference !== undefined : quote !== undefined;
  if (!complete) return notification.text;
  return t(`notifications.body.${type}`, {
    actor: actorName ?? t('conversation.someone'),
    quote,
    reference,
  });
}

function Toast({
  notification,
  dismiss,
}: {
  notification: LiveNotification;
  dismiss(key: number): void;
}) {
  const { t } = useTranslation();
  const { key } = notification;
  useEffect(() => {
    const timer = setTimeout(() => dismiss(key), TOAST_MS);
    return () => clearTimeout(timer);
  }, [dismiss, key]);
  const onDismiss = () => dismiss(key);
  return (
    <li className={`toast toast-${notification.type}`}>
      <span className="toast-body">
        <Link to={`/inbox/${notification.conversationId}`} onClick={onDismiss}>
          {t(`notifications.type.${notification.type}`)}
        </Link>
        <span className="toast-text">{notificationBody(t, notification)}</span>
      </span>
      <button
        type="button"
        className="chip-remove"
        aria-label={t('notifications.dismiss')}
        onClick={onDismiss}
      >
        ×
      </button>
    </li>
  );
}

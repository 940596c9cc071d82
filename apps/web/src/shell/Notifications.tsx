import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useRealtime } from '../realtime/RealtimeProvider';

/** Live notifications (mentions, SLA breaches, approvals) and the state of the live link. */
export function Notifications() {
  const { t } = useTranslation();
  const { notifications, dismissNotification, connected } = useRealtime();
  return (
    <div className="notifications">
      <span className={connected ? 'live live-on' : 'live live-off'} role="status">
        {connected ? t('live.connected') : t('live.reconnecting')}
      </span>
      <ul className="toasts" aria-live="polite" aria-label={t('notifications.title')}>
        {notifications.slice(0, 5).map((notification) => (
          <li key={notification.key} className={`toast toast-${notification.type}`}>
            <span className="toast-type">{t(`notifications.type.${notification.type}`)}</span>
            <Link
              to={`/inbox/${notification.conversationId}`}
              onClick={() => dismissNotification(notification.key)}
            >
              {notification.text}
            </Link>
            <button
              type="button"
              className="chip-remove"
              aria-label={t('notifications.dismiss')}
              onClick={() => dismissNotification(notification.key)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/ApiContext';
import { isApiError } from '../../api/ApiError';
import { browserNavigation } from '../../ui/browserNavigation';
import { ErrorNotice } from '../../ui/ErrorNotice';

interface DashboardSession {
  url: string;
  expiresAt: string;
}

/**
 * The queue dashboard (Bull Board, served by the API) for the operator's admins: the API hands
 * out a ten-minute ticket as a cookie for the dashboard's path, then the browser goes there.
 * Other organisations get a 404, explained here.
 */
export function QueueDashboardLink() {
  const { t } = useTranslation();
  const api = useApi();
  const open = useMutation({
    mutationFn: () => api.post<DashboardSession>('/admin/queue-dashboard/session'),
    // A 404 says the dashboard is not for this organisation: nothing on screen is out of date.
    meta: { invalidates: [] },
    onSuccess: ({ url }) => browserNavigation.assign(url),
  });
  const unavailable = isApiError(open.error) && open.error.statusCode === 404;
  return (
    <section className="admin-section" aria-labelledby="queues-title">
      <h2 id="queues-title">{t('adminQueues.title')}</h2>
      <p>{t('adminQueues.explain')}</p>
      <button
        type="button"
        className="button button-primary"
        disabled={open.isPending}
        onClick={() => open.mutate()}
      >
        {t('adminQueues.open')}
      </button>
      {unavailable ? (
        <p role="status">{t('adminQueues.unavailable')}</p>
      ) : (
        <ErrorNotice error={open.error} />
      )}
    </section>
  );
}

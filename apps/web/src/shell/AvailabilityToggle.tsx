import { useTranslation } from 'react-i18next';
import { useMe, useSetAvailability } from '../api/queries';

/** The user's own availability for routing: a switch, applied at once and undone on failure. */
export function AvailabilityToggle() {
  const { t } = useTranslation();
  const me = useMe();
  const mutation = useSetAvailability();
  const available = me.data?.available ?? false;

  return (
    <div className="availability">
      <button
        type="button"
        role="switch"
        className="switch"
        aria-checked={available}
        disabled={!me.data}
        onClick={() => mutation.mutate(!available)}
      >
        <span className="switch-track" aria-hidden="true">
          <span className="switch-thumb" />
        </span>
        <span className="switch-label">{t('availability.label')}</span>
        <span className="switch-state" aria-hidden="true">
          {available ? t('availability.on') : t('availability.off')}
        </span>
      </button>
      <div className="availability-error" role="alert" aria-live="assertive">
        {mutation.isError && t('availability.failed')}
      </div>
    </div>
  );
}

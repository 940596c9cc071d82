import type { ToneFindingDto } from '@toonbank/shared';
import { useTranslation } from 'react-i18next';

/**
 * The findings as a list the keyboard and screen readers can reach: each names its severity
 * and shows its suggestion, and moving to it selects the words it is about in the text.
 */
export function ToneFindings({
  id,
  findings,
  onSelect,
  onActive,
}: {
  id: string;
  findings: readonly ToneFindingDto[];
  /** Clicked: take the user to the words. */
  onSelect?(finding: ToneFindingDto): void;
  /** Hovered or focused (null: no longer): emphasise the words. */
  onActive?(finding: ToneFindingDto | null): void;
}) {
  const { t } = useTranslation();
  if (findings.length === 0) return <div id={id} />;
  return (
    <ul id={id} className="tone-findings" aria-label={t('composer.findings')}>
      {findings.map((finding, index) => (
        <li
          key={`${finding.ruleId}-${finding.start}-${index}`}
          className={`tone-finding tone-finding-${finding.severity}`}
          onMouseEnter={() => onActive?.(finding)}
          onMouseLeave={() => onActive?.(null)}
        >
          <button
            type="button"
            className="tone-finding-button"
            onClick={() => onSelect?.(finding)}
            onFocus={() => onActive?.(finding)}
            onBlur={() => onActive?.(null)}
          >
            <span className="tone-severity">{t(`composer.severity.${finding.severity}`)}</span>{' '}
            {finding.message}
          </button>
          {finding.suggestion && (
            <span className="tone-suggestion">
              {t('composer.suggestion', { suggestion: finding.suggestion })}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

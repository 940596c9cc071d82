import { ErrorCode } from '@toonbank/shared';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/ApiError';
import { errorMessage } from '../i18n/errorMessage';
import { Dialog } from '../ui/Dialog';
import type { CapacityQuestion, Refusal } from './useBoardAssignment';

/** Why an assignment did not happen, in the board's own words, with what the state now is. */
export function refusalText(t: TFunction, refusal: Refusal): string {
  const names = { reference: refusal.reference, name: refusal.name };
  if (refusal.taken) return t('board.refused.taken', names);
  const { error } = refusal;
  if (isApiError(error)) {
    switch (error.code) {
      case ErrorCode.Conflict:
        return t('board.refused.conflict', names);
      case ErrorCode.AssignmentNotEligible:
        return t('board.refused.notEligible', names);
      case ErrorCode.NotFound:
        return t('board.refused.notFound', names);
      case ErrorCode.Forbidden:
        return t('board.refused.forbidden', names);
    }
  }
  return t('board.refused.other', { ...names, reason: errorMessage(t, error) });
}

/**
 * The board's two interruptions: the question before an assignment past someone's capacity
 * (naming the person and the load it would give, "11/10"), and a refusal explained.
 */
export function AssignmentNotices({
  question,
  onConfirm,
  onCancel,
  refusal,
  onDismiss,
}: {
  question: CapacityQuestion | null;
  onConfirm(): void;
  onCancel(): void;
  refusal: Refusal | null;
  onDismiss(): void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <div className="board-refusal-slot" role="alert">
        {refusal && (
          <div className="board-refusal">
            <p>{refusalText(t, refusal)}</p>
            <button type="button" className="button button-quiet" onClick={onDismiss}>
              {t('board.refused.dismiss')}
            </button>
          </div>
        )}
      </div>
      {question && (
        <Dialog
          title={t('board.capacity.title', { name: question.person.name })}
          onClose={onCancel}
        >
          <p>
            {t('board.capacity.body', {
              name: question.person.name,
              reference: question.conversation.reference,
              load: `${question.load}/${question.person.capacity}`,
              capacity: question.person.capacity,
            })}
          </p>
          <div className="dialog-actions">
            <button type="button" className="button button-quiet" onClick={onCancel}>
              {t('common.cancel')}
            </button>
            <button type="button" className="button button-primary" onClick={onConfirm}>
              {t('board.capacity.confirm', { name: question.person.name })}
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}

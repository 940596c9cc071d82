import { useId, type ReactNode } from 'react';

/** What a labelled control needs: its id, and whether it is invalid and what describes it. */
export interface FieldControl {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/**
 * One labelled form control: the label above, a hint below (kept out of the label, so the
 * accessible name stays short), and when invalid a reference to the form's error.
 */
export function Field({
  label,
  hint,
  invalid = false,
  errorId,
  children,
}: {
  label: string;
  hint?: string;
  invalid?: boolean;
  errorId?: string;
  children(control: FieldControl): ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const describedBy = [invalid ? errorId : undefined, hint ? hintId : undefined]
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        'aria-invalid': invalid || undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {hint && (
        <span id={hintId} className="field-hint">
          {hint}
        </span>
      )}
    </div>
  );
}

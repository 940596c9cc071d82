import type { ToneFindingDto } from '@toonbank/shared';
import { forwardRef, useRef, type ChangeEvent, type TextareaHTMLAttributes } from 'react';
import { toneSegments } from './toneSegments';

interface ToneTextareaProps extends Omit<
  TextareaHTMLAttributes<HTMLTextAreaElement>,
  'value' | 'onChange'
> {
  value: string;
  onValueChange(value: string): void;
  findings: readonly ToneFindingDto[];
  /** The finding the user points at in the list: drawn stronger. */
  activeFinding?: ToneFindingDto | null;
}

/**
 * A textarea with the tone findings underlined beneath its text: a backdrop with the same
 * text and layout draws the marks (red errors, amber warnings, blue info) and scrolls with
 * it. The backdrop is hidden from assistive technology; the findings list describes them.
 */
export const ToneTextarea = forwardRef<HTMLTextAreaElement, ToneTextareaProps>(
  function ToneTextarea(
    { value, onValueChange, findings, activeFinding, className, ...rest },
    ref,
  ) {
    const backdrop = useRef<HTMLDivElement>(null);
    const segments = toneSegments(value, findings);
    return (
      <div className={`tone-editor ${className ?? ''}`}>
        <div className="tone-backdrop" ref={backdrop} aria-hidden="true">
          {segments.map((segment) =>
            segment.finding ? (
              <mark
                key={segment.start}
                className={`tone-mark tone-mark-${segment.finding.severity}${
                  segment.finding === activeFinding ? ' tone-mark-active' : ''
                }`}
                data-rule={segment.finding.ruleId}
              >
                {segment.text}
              </mark>
            ) : (
              <span key={segment.start}>{segment.text}</span>
            ),
          )}
          {/* A trailing newline needs a character after it to take up its line. */}
          {'\u200b'}
        </div>
        <textarea
          {...rest}
          ref={ref}
          className="tone-input"
          value={value}
          onChange={(event: ChangeEvent<HTMLTextAreaElement>) => onValueChange(event.target.value)}
          onScroll={(event) => {
            if (backdrop.current) backdrop.current.scrollTop = event.currentTarget.scrollTop;
          }}
        />
      </div>
    );
  },
);

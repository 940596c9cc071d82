import { revealBelow } from './TemplatePicker';

/**
 * What `r` (and the pane's "Reply" button) does: focuses the composer's focus target, the
 * reply box or, where templates rule, the template search (`data-composer-focus`), and scrolls
 * only its own pane enough to show it. Nothing when no composer is open.
 */
export function focusComposer(): void {
  const target = document.querySelector<HTMLElement>('[data-composer-focus]');
  if (!target) return;
  target.focus({ preventScroll: true });
  revealBelow(target);
}

import { focusComposer } from './focusComposer';

const rect = (top: number, bottom: number) =>
  ({ top, bottom, left: 0, right: 100, width: 100, height: bottom - top, x: 0, y: top }) as DOMRect;

describe('focusComposer', () => {
  afterEach(() => document.body.replaceChildren());

  it('focuses the composer’s focus target without scrolling the page, and scrolls its pane', () => {
    document.body.innerHTML = `
      <div class="pane" style="overflow-y: auto">
        <textarea class="composer-text"></textarea>
        <input data-composer-focus />
      </div>`;
    const pane = document.querySelector<HTMLElement>('.pane')!;
    const target = document.querySelector<HTMLElement>('[data-composer-focus]')!;
    pane.getBoundingClientRect = () => rect(100, 500);
    target.getBoundingClientRect = () => rect(560, 600); // 100 px below the pane's bottom
    const focus = jest.spyOn(target, 'focus');

    focusComposer();

    expect(target).toHaveFocus();
    expect(focus).toHaveBeenCalledWith({ preventScroll: true });
    expect(pane.scrollTop).toBe(100);
  });

  it('focuses no other text box when the composer marks none (no composer open)', () => {
    document.body.innerHTML = `<section class="composer"><textarea></textarea></section>`;
    focusComposer();
    expect(document.body).toHaveFocus();
  });
});

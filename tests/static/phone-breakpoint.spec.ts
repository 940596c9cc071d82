import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PHONE_QUERY } from '../../apps/web/src/ui/useMediaQuery';

/**
 * One phone breakpoint: the style sheets switch the header, the inbox and the board to their
 * phone layout at the width where the app's code does (`PHONE_QUERY`, the inbox's list-then-
 * detail focus and the board's tabs). At exactly 768 px they once disagreed.
 */

/** The `@media` blocks of a style sheet: the query and the rules inside. */
function mediaBlocks(css: string): { query: string; body: string }[] {
  const blocks: { query: string; body: string }[] = [];
  for (let at = css.indexOf('@media'); at >= 0; at = css.indexOf('@media', at + 1)) {
    const open = css.indexOf('{', at);
    let depth = 1;
    let end = open + 1;
    for (; end < css.length && depth > 0; end += 1) {
      if (css[end] === '{') depth += 1;
      else if (css[end] === '}') depth -= 1;
    }
    blocks.push({
      query: css.slice(at + '@media'.length, open).trim(),
      body: css.slice(open, end),
    });
  }
  return blocks;
}

const sheet = (path: string) => readFileSync(join(__dirname, '../../apps/web/src', path), 'utf8');

describe('the phone breakpoint', () => {
  it.each(['inbox/inbox.css', 'board/board.css'])(
    '%s switches to its phone layout where the app does',
    (path) => {
      const widths = mediaBlocks(sheet(path)).filter((b) => /max-width/.test(b.query));
      expect(widths.map((b) => b.query)).toEqual(widths.map(() => PHONE_QUERY));
    },
  );

  it('styles.css: the header, shell, inbox and board change by width only where the app does', () => {
    const layout = mediaBlocks(sheet('styles.css')).filter(
      (b) => /width/.test(b.query) && /\.(app-header|header-|shell|inbox|board)/.test(b.body),
    );
    expect(layout.length).toBeGreaterThan(0);
    expect(layout.map((b) => b.query)).toEqual(layout.map(() => PHONE_QUERY));
  });
});

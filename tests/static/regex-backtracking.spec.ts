import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RegExpParser } from '@eslint-community/regexpp';
import { analyse } from 'scslre';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');

/**
 * Regular expressions that scslre finds super-linear, each with why it is safe where it is
 * used (docs/security-patterns.md). Keyed by file and pattern, not by line.
 */
const ACCEPTED: Record<string, string> = {
  'libs/channels/src/providers/bluesky/bluesky.connector.ts /^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$/':
    'only tried on an identifier of at most 253 characters',
  "libs/tone/src/pii.ts /(?<![\\p{L}\\p{N}])\\p{L}[\\p{L}'’.-]* {1,3}\\d{1,5}(?:-?[A-Za-z](?![A-Za-z])|-\\d{1,4})?,?[ \\t]*\\n?[ \\t]*$/u":
    'only tried on the 60 characters before a postcode',
  'apps/web/src/test/fakeApi.ts /=+$/': 'test support: base64 of a small JSON of its own',
  "apps/web/src/admin/users/userForm.ts new RegExp(`^${INITIALS_PATTERN}$`, 'u')":
    'a constant pattern of at most four capitals',
};

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'fakes') sourceFiles(path, out);
    } else if (/\.tsx?$/.test(entry.name) && !/\.(spec|test)\.tsx?$/.test(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

/** Every regular expression literal and `RegExp(...)` call of the production code. */
function regularExpressions(): { file: string; line: number; source: string; dynamic: boolean }[] {
  const roots = [
    ...readdirSync(join(ROOT, 'libs')).map((lib) => join(ROOT, 'libs', lib, 'src')),
    join(ROOT, 'apps', 'web', 'src'),
  ];
  const found: { file: string; line: number; source: string; dynamic: boolean }[] = [];
  for (const path of roots.flatMap((root) => sourceFiles(root))) {
    const file = relative(ROOT, path);
    const tree = ts.createSourceFile(
      path,
      readFileSync(path, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    );
    const visit = (node: ts.Node) => {
      const line = tree.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        found.push({ file, line, source: node.getText(), dynamic: false });
      } else if (
        (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
        node.expression.getText() === 'RegExp'
      ) {
        found.push({ file, line, source: node.getText(), dynamic: true });
      }
      ts.forEachChild(node, visit);
    };
    visit(tree);
  }
  return found;
}

/**
 * Every pattern applied to user text must run in linear time (issue 11). scslre finds the
 * patterns that backtrack or move super-linearly on a repeated character (nested or
 * adjacent quantifiers over the same characters, `\s*…\s*` around a lazy group, `x+$`); a new
 * one fails here until it is rewritten (a scanner, re2js) or accepted above with its reason.
 * A `RegExp(...)` built at run time cannot be checked, so it must be accepted too.
 */
describe('regular expressions of the production code', () => {
  const all = regularExpressions();

  it('finds the patterns (the scan works)', () => {
    expect(all.length).toBeGreaterThan(100);
  });

  it('none can backtrack super-linearly, unless accepted with a reason', () => {
    const parser = new RegExpParser();
    const flagged = all
      .filter(({ source, dynamic }) => {
        if (dynamic) return true;
        return analyse(parser.parseLiteral(source), {}).reports.length > 0;
      })
      .map(({ file, line, source }) => ({ key: `${file} ${source}`, at: `${file}:${line}` }))
      .filter(({ key }) => !(key in ACCEPTED))
      .map(({ key, at }) => `${at} ${key.slice(key.indexOf(' ') + 1)}`);
    expect(flagged).toEqual([]);
  });

  it('every accepted pattern is still there (the list does not go stale)', () => {
    const present = new Set(all.map(({ file, source }) => `${file} ${source}`));
    expect(Object.keys(ACCEPTED).filter((key) => !present.has(key))).toEqual([]);
  });
});

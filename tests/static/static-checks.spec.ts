import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

/**
 * Jest transpiles without type-checking, so the types, the lint rules and the formatting
 * are checked here: `npm test` is the one command that says whether main is sound.
 */
describe('static checks', () => {
  it.each([
    ['the server side and the tests type-check', 'tsc', ['-p', 'tsconfig.json']],
    ['the web app type-checks', 'tsc', ['-p', 'apps/web/tsconfig.json', '--noEmit']],
    ['ESLint finds nothing', 'eslint', ['--max-warnings', '0', '.']],
    ['Prettier finds nothing to reformat', 'prettier', ['--check', '.']],
  ])(
    '%s',
    async (_label, tool, args) => {
      const outcome = await run(bin(tool), args, { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }).then(
        () => ({ ok: true, output: '' }),
        (error: { stdout?: string; stderr?: string }) => ({
          ok: false,
          output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
        }),
      );
      expect(outcome).toEqual({ ok: true, output: '' });
    },
    180_000,
  );
});

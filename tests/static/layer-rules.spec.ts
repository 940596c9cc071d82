import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);

/** An import, as if written in `file`, and the rule that must refuse it (null: allowed). */
type Probe = [file: string, code: string, refusedBy: string | null];

const LAYERS = 'no-restricted-imports';
const FAKES = '@typescript-eslint/no-restricted-imports';
const DEEP = 'no-restricted-syntax';

const PROBES: Probe[] = [
  // The arrows the design forbids.
  ['libs/replies/src/probe.ts', "import { IngestWriter } from '@toonbank/ingest';", LAYERS],
  ['libs/shared/src/probe.ts', "import { Injectable } from '@nestjs/common';", LAYERS],
  ['libs/policy/src/probe.ts', "import { UserEntity } from '@toonbank/database';", LAYERS],
  ['libs/tone/src/probe.ts', "import { DataSource } from 'typeorm';", LAYERS],
  [
    'libs/database/src/probe.ts',
    "import { AssignmentWriter } from '@toonbank/conversations';",
    LAYERS,
  ],
  ['libs/platform/src/probe.ts', "import { AuditLogService } from '@toonbank/audit';", LAYERS],
  ['libs/replies/src/probe.ts', "import { migrations } from '@toonbank/migrations';", LAYERS],
  [
    'libs/channels/src/probe.ts',
    "import { ChannelSessions } from '@toonbank/channel-accounts';",
    LAYERS,
  ],
  [
    'libs/channel-accounts/src/probe.ts',
    "import { IngestWriter } from '@toonbank/ingest';",
    LAYERS,
  ],
  ['libs/conversations/src/probe.ts', "import { OutboundQueue } from '@toonbank/replies';", LAYERS],
  ['libs/ingest/src/probe.ts', "import { x } from '../../replies/src/replies.service';", LAYERS],
  ['apps/web/src/probe.tsx', "import { ApiError } from '@toonbank/platform';", LAYERS],
  ['apps/worker/src/probe.ts', "import { IngestApiModule } from '@toonbank/ingest';", LAYERS],
  ['apps/worker/src/probe.ts', "import { RepliesModule } from '@toonbank/replies';", LAYERS],
  ['apps/worker/src/probe.ts', "import { TemplatesModule } from '@toonbank/templates';", LAYERS],
  // The rules that share a file with the layers still hold beside them.
  ['libs/replies/src/probe.ts', "import { fakeDid } from '@toonbank/channels/testing';", FAKES],
  ['libs/replies/src/probe.ts', "import { x } from '@toonbank/conversations/src/x';", DEEP],
  // The arrows the design draws.
  [
    'libs/replies/src/probe.ts',
    "import { ChannelSessions } from '@toonbank/channel-accounts';",
    null,
  ],
  [
    'libs/ingest/src/probe.ts',
    "import { ChannelSessions } from '@toonbank/channel-accounts';",
    null,
  ],
  ['apps/web/src/probe.tsx', "import { checkTone } from '@toonbank/tone';", null],
  ['apps/worker/src/probe.ts', "import { IngestModule } from '@toonbank/ingest';", null],
  ['apps/worker/src/probe.ts', "import { OutboundModule } from '@toonbank/replies';", null],
];

// One Node process lints every probe in memory (ESLint's config is ES modules, Jest is not),
// so no probe file ever lands in the tree where the repository-wide lint would see it.
const LINT_PROBES = `
import { ESLint } from 'eslint';
const probes = JSON.parse(process.argv[1]);
const eslint = new ESLint({ cwd: process.cwd() });
const rules = [];
for (const [file, code] of probes) {
  const [result] = await eslint.lintText(code + '\\nexport {};\\n', { filePath: file });
  rules.push(result.messages.filter((m) => m.severity === 2).map((m) => m.ruleId));
}
process.stdout.write(JSON.stringify(rules));
`;

describe('the layers (eslint.config.mjs)', () => {
  it('refuses every import the design forbids, and only those', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', LINT_PROBES, JSON.stringify(PROBES)],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    const boundaryRules: (string | null)[] = [LAYERS, FAKES, DEEP];
    // Only the boundary rules count: a probe's unused import is no concern here.
    const refusedBy = (JSON.parse(stdout) as string[][]).map((rules) =>
      rules.filter((rule) => boundaryRules.includes(rule)),
    );
    const verdicts = PROBES.map(([file, code], i) => [file, code, refusedBy[i]]);
    const expected = PROBES.map(([file, code, rule]) => [file, code, rule === null ? [] : [rule]]);
    expect(verdicts).toEqual(expected);
  }, 180_000);
});

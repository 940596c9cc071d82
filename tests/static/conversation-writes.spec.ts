import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * The writes to a conversation a line may hold: SQL that updates or inserts into
 * `conversations`, and TypeORM writing a ConversationEntity (named as the entity, or as a
 * variable called `conversation`: the name every caller gives it).
 */
const WRITES: readonly RegExp[] = [
  /\b(?:UPDATE|INSERT\s+INTO)\s+(?:ONLY\s+)?(?:"?public"?\.)?"?conversations"?(?![\w"])/i,
  /\.(?:save|update|insert|upsert|increment|decrement)\(\s*ConversationEntity\b/,
  /\.(?:save|update|insert|upsert)\(\s*(?:[\w]+\.)?conversation\s*[,)]/,
  /\b(?:getRepository|InjectRepository)\(\s*ConversationEntity\b/,
];

/** The lines of a source file that write to a conversation, as `line: text`. */
function conversationWritesIn(source: string): string[] {
  return source
    .split('\n')
    .map((text, index) => ({ text, line: index + 1 }))
    .filter(({ text }) => WRITES.some((pattern) => pattern.test(text)))
    .map(({ text, line }) => `${line}: ${text.trim()}`);
}

/** The non-spec TypeScript files under a folder, recursively. */
function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Every libs/<name>/src and apps/<name>/src but libs/conversations, the writes' one owner. */
function sourceFolders(): string[] {
  return ['libs', 'apps'].flatMap((group) =>
    readdirSync(join(ROOT, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(ROOT, group, entry.name, 'src'))
      .filter((folder) => existsSync(folder))
      .filter((folder) => relative(ROOT, folder) !== join('libs', 'conversations', 'src')),
  );
}

describe('conversation writes have one owner (libs/conversations)', () => {
  it.each([
    ['UPDATE conversations c SET preview = $4', true],
    ['`UPDATE conversations', true],
    ['WITH x AS (update   conversations SET status = $1)', true],
    ['INSERT INTO conversations (id, organisation_id)', true],
    ['insert into "conversations" (id)', true],
    ['UPDATE public.conversations SET status', true],
    ["await manager.update(ConversationEntity, { id }, { status: 'closed' });", true],
    ['.createQueryBuilder().update(ConversationEntity)', true],
    ['await manager.save(conversation);', true],
    ['await manager.save(p.conversation);', true],
    ['await manager.insert(ConversationEntity, rows);', true],
    ['@InjectRepository(ConversationEntity) private readonly repo', true],
    ['SELECT id FROM conversations WHERE organisation_id = $1 FOR UPDATE', false],
    ['UPDATE conversation_notes SET text = $1', false],
    ['UPDATE messages SET conversation_id = $2', false],
    ['await manager.save(reply);', false],
    ['await manager.findOneBy(ConversationEntity, { id });', false],
    ['await this.writer.moveOn(manager, organisationId, changed);', false],
  ])('the detector: %s → %s', (line, flagged) => {
    expect(conversationWritesIn(line).length > 0).toBe(flagged);
  });

  it('no file outside libs/conversations writes to conversations', () => {
    const folders = sourceFolders();
    expect(folders.map((folder) => relative(ROOT, folder))).toEqual(
      expect.arrayContaining([join('libs', 'ingest', 'src'), join('libs', 'routing', 'src')]),
    );
    const found = folders
      .flatMap(sources)
      .flatMap((file) =>
        conversationWritesIn(readFileSync(file, 'utf8')).map(
          (write) => `${relative(ROOT, file)}:${write}`,
        ),
      );
    expect(found).toEqual([]);
  });
});

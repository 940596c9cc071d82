import { QueryObserver, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { ErrorCode } from '@toonbank/shared';
import { ApiError } from './ApiError';
import { conversationConcerns, createQueryClient, queryKeys, type ChangeMeta } from './queries';

const ID = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';

/** What a screen has open: each query observed (active), its reads counted by name. */
const SCREEN: Record<string, QueryKey> = {
  me: queryKeys.me,
  org: queryKeys.org,
  users: queryKeys.eligibleUsers,
  queue: [...queryKeys.conversationLists, { status: ['unassigned'] }],
  counts: queryKeys.conversationCounts,
  detail: queryKeys.conversation(ID),
  replies: queryKeys.conversationReplies(ID),
  approvals: queryKeys.approvalQueue,
};

async function openScreen(client: QueryClient) {
  const reads: string[] = [];
  const unsubscribe = await Promise.all(
    Object.entries(SCREEN).map(async ([name, queryKey]) => {
      const observer = new QueryObserver(client, {
        queryKey,
        queryFn: () => {
          reads.push(name);
          return Promise.resolve(name);
        },
      });
      const off = observer.subscribe(() => undefined);
      await observer.refetch();
      return off;
    }),
  );
  // Not on screen: a closed conversation's detail (inactive), never read again.
  client.setQueryData(queryKeys.conversation(OTHER), 'closed one');
  reads.length = 0;
  return { reads, close: () => unsubscribe.forEach((off) => off()) };
}

const refusal = (statusCode: number, code: ErrorCode) =>
  new ApiError({ statusCode, code, message: 'the server’s own words' });

/** Runs a change the server refuses with `error`, declaring `meta`; the reads it causes. */
async function refuse(error: unknown, meta?: ChangeMeta) {
  const client = createQueryClient();
  const screen = await openScreen(client);
  await expect(
    client
      .getMutationCache()
      .build(client, { mutationFn: () => Promise.reject(error), meta })
      .execute(undefined),
  ).rejects.toBe(error);
  // Let the reads the refusal started finish.
  await new Promise((resolve) => setTimeout(resolve, 0));
  screen.close();
  return [...screen.reads].sort();
}

describe('after a change the server refused as stale (404/409)', () => {
  it.each([
    [
      'a conversation action: its lists, counts, detail and replies',
      refusal(409, ErrorCode.Conflict),
      { invalidates: conversationConcerns(ID) },
      ['counts', 'detail', 'queue', 'replies'],
    ],
    [
      'an assignment from the board: the lists, the open detail, everyone’s load',
      refusal(404, ErrorCode.NotFound),
      { invalidates: [...conversationConcerns(), queryKeys.eligibleUsers] },
      ['counts', 'detail', 'queue', 'replies', 'users'],
    ],
    [
      'a change that concerns nothing on screen',
      refusal(404, ErrorCode.NotFound),
      { invalidates: [] },
      [],
    ],
    [
      'a change that does not say: everything on screen',
      refusal(409, ErrorCode.Conflict),
      undefined,
      ['approvals', 'counts', 'detail', 'me', 'org', 'queue', 'replies', 'users'],
    ],
    [
      'a refusal that is not about stale state (422): nothing',
      refusal(422, ErrorCode.ValidationFailed),
      { invalidates: conversationConcerns(ID) },
      [],
    ],
  ] as const)('%s', async (_, error, meta, expected) => {
    expect(await refuse(error, meta)).toEqual(expected);
  });
});

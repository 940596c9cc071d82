// The report queries (GET /api/reports/summary and /export.csv) use the indexes on
// (organisation_id, time) in a 100,000-row organisation: a scratch database of its own, no app.
import {
  dataSourceOptions,
  runMigrationsLocked,
  type OrganisationEntity,
} from '@toonbank/database';
import { DataSource } from 'typeorm';
import {
  AGENTS_SQL,
  RESPONSE_TIMES_SQL,
  SLA_SQL,
  VOLUME_SQL,
} from '../../libs/reports/src/report-queries';
import { createScratchDatabase } from '../support/database';
import { newChannelAccount, newStaffedOrganisation } from '../support/factories';

describe('reports', () => {
  describe('the queries use the indexes on (organisation_id, time) for a 100,000-row organisation', () => {
    let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
    let big: DataSource;
    let organisation: OrganisationEntity;

    /**
     * `count` conversations over a year (created 2025-11-01 onwards, evenly spread), each
     * with an inbound message, a sent reply and an assignment.
     */
    const seed = async (count: number) => {
      const world = await newStaffedOrganisation(big);
      const channel = await newChannelAccount(big, world.organisation);
      await big.query(
        `INSERT INTO conversations (organisation_id, number, channel_account_id, status, assignee_id,
           customer_external_id, customer_handle, last_message_at, created_at, first_response_at,
           closed_at, sla_due_at)
         SELECT $1, g, $2, 'closed', $3, 'c' || g, '@c' || g, t, t,
                t + interval '5 minutes', t + interval '2 hours', t + interval '1 hour'
           FROM generate_series(1, $4::int) g,
                LATERAL (SELECT timestamptz '2025-11-01' + g * (interval '365 days' / $4::int) AS t) x`,
        [world.organisation.id, channel.id, world.agent.id, count],
      );
      // Fresh statistics first: the foreign-key checks below are planned with them.
      await big.query('ANALYZE conversations');
      for (const insert of [
        `INSERT INTO messages (organisation_id, conversation_id, channel_account_id, direction,
           external_id, text, created_at)
         SELECT organisation_id, id, channel_account_id, 'inbound', 'm' || number, 'storing', created_at
           FROM conversations WHERE organisation_id = $1`,
        `INSERT INTO replies (organisation_id, conversation_id, author_id, text, status, sent_at)
         SELECT organisation_id, id, assignee_id, 'Dank u. ^AB', 'sent', first_response_at
           FROM conversations WHERE organisation_id = $1`,
        `INSERT INTO audit_log (organisation_id, at, action, subject_type, subject_id, after)
         SELECT organisation_id, created_at, 'conversation.assigned', 'conversation', id,
                jsonb_build_object('assigneeId', assignee_id)
           FROM conversations WHERE organisation_id = $1`,
      ]) {
        await big.query(insert, [world.organisation.id]);
      }
      return world.organisation;
    };

    // A database of its own: 120,000 rows a table are not left in the shared test database.
    beforeAll(async () => {
      scratch = await createScratchDatabase('toonbank_reports_explain');
      big = new DataSource(dataSourceOptions({ url: scratch.url, poolSize: 2 }));
      await big.initialize();
      await runMigrationsLocked(big);
      organisation = await seed(100_000);
      await seed(20_000); // a neighbour in the same tables
      await big.query('ANALYZE conversations, messages, replies, audit_log');
    }, 300_000);
    afterAll(async () => {
      await big.destroy();
      await scratch.drop();
    });

    const BIG = ['conversations', 'messages', 'replies', 'audit_log'];
    /** Every node of a plan, flattened. */
    const nodesOf = (plan: Record<string, unknown>): Record<string, unknown>[] => [
      plan,
      ...((plan.Plans as Record<string, unknown>[] | undefined) ?? []).flatMap(nodesOf),
    ];

    const TIME_ZONE = ['Europe/Amsterdam'];
    const NOW = [new Date()];
    it.each([
      [
        'response times',
        RESPONSE_TIMES_SQL,
        [],
        [
          'ix_conversations_organisation_id_created_at',
          'ix_conversations_organisation_id_closed_at',
        ],
      ],
      ['volume', VOLUME_SQL, TIME_ZONE, ['ix_messages_organisation_id_direction_created_at']],
      ['SLA', SLA_SQL, NOW, ['ix_conversations_organisation_id_sla_due_at']],
      [
        'agents',
        AGENTS_SQL,
        NOW,
        [
          'ix_conversations_organisation_id_created_at',
          'ix_conversations_organisation_id_sla_due_at',
          /^ix_audit_log_organisation_id_(action_)?at/,
          'ix_replies_conversation_id_created_at',
        ],
      ],
    ] as const)('%s', async (_label, sql, extra, indexes) => {
      // A week of a year: about 1,900 of the 100,000 conversations.
      const values = [organisation.id, '2026-06-01T00:00:00Z', '2026-06-08T00:00:00Z', ...extra];
      const [{ 'QUERY PLAN': plan }] = (await big.query(
        `EXPLAIN (FORMAT JSON) ${sql}`,
        values,
      )) as [{ 'QUERY PLAN': [{ Plan: Record<string, unknown> }] }];
      const nodes = nodesOf(plan[0].Plan);
      const seqScans = nodes
        .filter((n) => n['Node Type'] === 'Seq Scan' && BIG.includes(n['Relation Name'] as string))
        .map((n) => n['Relation Name']);
      expect(seqScans).toEqual([]);
      const used = [...new Set(nodes.map((n) => n['Index Name']).filter(Boolean))].sort();
      expect(used).toEqual(
        expect.arrayContaining(
          indexes.map((index) =>
            typeof index === 'string' ? index : expect.stringMatching(index),
          ),
        ),
      );
    });
  });
});

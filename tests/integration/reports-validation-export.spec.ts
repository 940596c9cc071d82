// GET /api/reports/summary and /api/reports/export.csv (API.md §Audit, reports, privacy): the
// refusals (a bad window, the wrong role), the CSV export and the OpenAPI description.
import { expectError } from '../support/expect-error';
import { newInboundMessage, newReply, newStaffedOrganisation } from '../support/factories';
import { bearer, signIn } from '../support/test-app';
import { HOURS, reportsSuite } from '../support/reports-suite';

describe('reports', () => {
  const { suite, summary, conversationAt } = reportsSuite();

  describe('refuses a bad window with 400 validation.failed naming the fields', () => {
    it.each([
      ['from after to', '?from=2026-06-08&to=2026-06-07', ['from', 'to']],
      ['a span of 367 days', '?from=2026-01-01&to=2027-01-02', ['from', 'to']],
      ['a date that is not one', '?from=2026-02-30', ['from']],
      ['words', '?from=yesterday&to=today', ['from', 'to']],
      ['a date-time without an offset', '?to=2026-06-07T12:00:00', ['to']],
      ['an empty value', '?from=', ['from']],
      ['a repeated parameter', '?from=2026-06-01&from=2026-06-02', ['from']],
      ['an unknown parameter', '?since=2026-06-01', ['since']],
    ])('%s', async (_label, query, fields) => {
      const world = await newStaffedOrganisation(suite.db);
      const token = await signIn(suite.app, world.admin);
      for (const path of ['/api/reports/summary', '/api/reports/export.csv']) {
        const response = await suite.app.http().get(`${path}${query}`).set(bearer(token));
        expectError(response, 400, 'validation.failed');
        expect({ path, fields: [...response.body.details.fields].sort() }).toEqual({
          path,
          fields,
        });
      }
    });

    it('accepts exactly 366 days', async () => {
      const world = await newStaffedOrganisation(suite.db);
      const report = await summary(world, '?from=2028-01-01&to=2028-12-31');
      expect(report.volume.perDay).toHaveLength(366);
    });
  });

  it('refuses agents, communications officers and employees (403 policy.forbidden)', async () => {
    const world = await newStaffedOrganisation(suite.db, { maturityLevel: 3 });
    for (const user of [world.agent, world.communications, world.employeeTrained]) {
      const token = await signIn(suite.app, user);
      for (const path of ['/api/reports/summary', '/api/reports/export.csv?from=bad']) {
        expectError(await suite.app.http().get(path).set(bearer(token)), 403, 'policy.forbidden');
      }
    }
  });

  it('exports the same tables as CSV: sections, RFC 4180 quoting, formulas neutralised', async () => {
    const world = await newStaffedOrganisation(suite.db);
    const other = await newStaffedOrganisation(suite.db);
    await suite.db.query('UPDATE users SET name = $2 WHERE id = $1', [
      world.agent.id,
      '=HYPERLINK("http://evil.example","klik")',
    ]);
    for (const w of [world, other]) {
      const conversation = await conversationAt(
        w,
        {
          created: '2026-03-29T00:30:00Z',
          firstResponse: '2026-03-29T01:30:00Z',
          closed: '2026-03-29T03:00:00Z',
        },
        { status: 'closed', assigneeId: w.agent.id },
      );
      await suite.db.query('UPDATE channel_accounts SET name = $2 WHERE id = $1', [
        conversation.channelAccountId,
        'Storing, "Noord"',
      ]);
      await newReply(suite.db, conversation, w.agent, {
        status: 'sent',
        sentAt: new Date('2026-03-29T01:30:00Z'),
      });
      await newInboundMessage(suite.db, conversation, {
        createdAt: new Date('2026-03-29T00:30:00Z'),
      });
      await newInboundMessage(suite.db, conversation, {
        createdAt: new Date('2026-03-29T01:15:00Z'),
      });
      await suite.db.query(
        `INSERT INTO maturity_changes (organisation_id, "from", "to", reason, by_user_id, at)
         VALUES ($1, 1, 2, $2, $3, '2026-03-29T09:00:00Z')`,
        [w.organisation.id, 'Klaar voor groei,\nmet "ambassadeurs"', w.admin.id],
      );
    }
    const channelId = (
      await suite.db.query(
        'SELECT id FROM channel_accounts WHERE organisation_id = $1 AND name = $2',
        [world.organisation.id, 'Storing, "Noord"'],
      )
    )[0].id as string;
    const token = await signIn(suite.app, world.teamLead);
    const response = await suite.app
      .http()
      .get('/api/reports/export.csv?from=2026-03-29&to=2026-03-29')
      .set(bearer(token));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="toonbank-report-2026-03-29-2026-03-29.csv"',
    );
    const hours = HOURS.map((hour) => `${hour},${hour === 1 ? 1 : hour === 3 ? 1 : 0}\r\n`).join(
      '',
    );
    expect(response.text).toBe(
      'Report\r\n' +
        'from,to,timeZone\r\n' +
        '2026-03-29T00:00:00+01:00,2026-03-30T00:00:00+02:00,Europe/Amsterdam\r\n' +
        '\r\n' +
        'Response times\r\n' +
        'measure,count,medianSeconds,p90Seconds\r\n' +
        'firstResponse,1,3600,3600\r\n' +
        'resolution,1,9000,9000\r\n' +
        '\r\n' +
        'SLA\r\n' +
        'met,breached\r\n' +
        '0,0\r\n' +
        '\r\n' +
        'Volume\r\n' +
        'total\r\n' +
        '2\r\n' +
        '\r\n' +
        'Volume per channel\r\n' +
        'channelId,name,provider,count\r\n' +
        `${channelId},"Storing, ""Noord""",mastodon,2\r\n` +
        '\r\n' +
        'Volume per hour\r\n' +
        'hour,count\r\n' +
        hours +
        '\r\n' +
        'Volume per day\r\n' +
        'date,count\r\n' +
        '2026-03-29,2\r\n' +
        '\r\n' +
        'Agents\r\n' +
        'userId,name,assigned,firstResponses,medianFirstResponseSeconds,slaMet,slaBreached,openNow\r\n' +
        `${world.agent.id},"'=HYPERLINK(""http://evil.example"",""klik"")",0,1,3600,0,0,0\r\n` +
        '\r\n' +
        'Maturity history\r\n' +
        'at,from,to,reason,byUserId\r\n' +
        `2026-03-29T11:00:00+02:00,1,2,"Klaar voor groei,\nmet ""ambassadeurs""",${world.admin.id}\r\n`,
    );
  });

  it('documents both endpoints and the summary’s shape in the OpenAPI document', async () => {
    const { body } = await suite.app.http().get('/api/docs-json').expect(200);
    const summaryOk = body.paths['/api/reports/summary'].get.responses['200'];
    expect(summaryOk.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ReportSummaryResponse',
    });
    expect(Object.keys(body.components.schemas.ReportSummaryResponse.properties).sort()).toEqual([
      'agents',
      'firstResponse',
      'from',
      'maturityHistory',
      'resolution',
      'sla',
      'timeZone',
      'to',
      'volume',
    ]);
    const csvOk = body.paths['/api/reports/export.csv'].get.responses['200'];
    expect(Object.keys(csvOk.content)).toEqual(['text/csv']);
    for (const path of ['/api/reports/summary', '/api/reports/export.csv']) {
      expect(body.paths[path].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
        'from',
        'to',
      ]);
    }
  });
});

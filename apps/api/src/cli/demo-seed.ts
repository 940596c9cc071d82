import {
  OrganisationEntity,
  TemplateEntity,
  ToneProfileEntity,
  UserEntity,
} from '@toonbank/database';
import { inTransaction } from '@toonbank/platform';
import {
  DEFAULT_SIGNOFF_PATTERN,
  type MaturityLevel,
  type Role,
  type ToneProfileDto,
} from '@toonbank/shared';
import { toneProfileColumns } from '@toonbank/templates';
import { initialsOf, PasswordHasher } from '@toonbank/users';
import type { DataSource } from 'typeorm';

export const DEMO_PASSWORD = 'demo-password';

interface DemoUser {
  email: string;
  name: string;
  role: Role;
  trained?: boolean;
  languages?: string[];
}

interface DemoTemplate {
  name: string;
  body: string;
  providers?: TemplateEntity['providers'];
}

interface DemoOrganisation {
  slug: string;
  name: string;
  maturityLevel: MaturityLevel;
  users: DemoUser[];
  tone: ToneProfileDto;
  templates: DemoTemplate[];
}

/** API.md §Demo data. */
export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  {
    slug: 'demo',
    name: 'Demo Energie',
    maturityLevel: 1,
    users: [
      { email: 'admin@demo.test', name: 'Sanne de Vries', role: 'admin', languages: ['nl', 'en'] },
      { email: 'lead@demo.test', name: 'Lars Jansen', role: 'team_lead', languages: ['nl', 'en'] },
      { email: 'agent1@demo.test', name: 'Emma Bakker', role: 'agent', languages: ['nl', 'en'] },
      { email: 'agent2@demo.test', name: 'Daan Visser', role: 'agent', languages: ['nl'] },
      {
        email: 'comms@demo.test',
        name: 'Fleur Smit',
        role: 'communications',
        languages: ['nl', 'en'],
      },
      {
        email: 'ambassador@demo.test',
        name: 'Bram Mulder',
        role: 'employee',
        trained: true,
        languages: ['nl'],
      },
      { email: 'employee@demo.test', name: 'Iris de Boer', role: 'employee', languages: ['nl'] },
    ],
    tone: {
      language: 'nl',
      addressForm: { default: 'formal', perChannel: {}, mirrorCustomer: true },
      forbiddenPhrases: [
        { phrase: 'excuses voor het ongemak', suggestion: 'vervelend dat u hier last van heeft' },
        { phrase: 'zoals eerder vermeld', suggestion: 'zoals we al schreven' },
        { phrase: 'helaas', suggestion: 'jammer genoeg' },
      ],
      signoff: { required: true, pattern: DEFAULT_SIGNOFF_PATTERN },
      emojiAllowed: false,
    },
    templates: [
      {
        name: 'Storing: we zoeken het uit',
        body: 'Beste {{customer.name}}, vervelend dat u zonder stroom zit. Onze monteurs zijn bezig in {{input.plaats}}; we verwachten het om {{input.tijd}} opgelost te hebben. ^{{agent.initials}}',
        providers: ['x', 'mastodon', 'bluesky', 'facebook'],
      },
      {
        name: 'Gegevens via een privébericht',
        body: 'Dank voor uw bericht, {{customer.name}}. Wilt u uw klantnummer en postcode in een privébericht sturen? Dan kijken wij direct mee. ^{{agent.initials}}',
      },
      {
        name: 'Factuur wordt nagekeken',
        body: 'Dank u voor het doorgeven. We kijken uw factuur na en laten binnen twee werkdagen weten wat eruit komt (kenmerk {{conversation.reference}}). ^{{agent.initials}}',
      },
      {
        name: 'Bedankt',
        body: 'Fijn dat het weer werkt, {{customer.name}}. Een prettige dag gewenst! ^{{agent.initials}}',
      },
    ],
  },
  {
    slug: 'acme',
    name: 'Acme',
    maturityLevel: 1,
    users: [{ email: 'admin@acme.test', name: 'Morgan Reed', role: 'admin', languages: ['en'] }],
    tone: {
      language: 'en',
      addressForm: { default: 'formal', perChannel: {}, mirrorCustomer: false },
      forbiddenPhrases: [
        { phrase: 'sorry for the inconvenience', suggestion: 'we understand how annoying this is' },
      ],
      signoff: { required: true, pattern: DEFAULT_SIGNOFF_PATTERN },
      emojiAllowed: false,
    },
    templates: [
      {
        name: 'Looking into it',
        body: 'Thank you for letting us know, {{customer.name}}. We are looking into it and will update you shortly. ^{{agent.initials}}',
      },
    ],
  },
];

export interface SeedReport {
  organisationsCreated: number;
  usersCreated: number;
}

/**
 * Seeds the demo organisations. Idempotent: what exists is left exactly as it is, so a
 * second run changes nothing (not even a password or level someone changed in the demo).
 */
export async function seedDemo(db: DataSource, now = new Date()): Promise<SeedReport> {
  const hasher = new PasswordHasher();
  const existingEmails = new Set(
    (await db.getRepository(UserEntity).find({ select: { email: true } })).map((u) => u.email),
  );
  const missing = DEMO_ORGANISATIONS.flatMap((o) => o.users).filter(
    (u) => !existingEmails.has(u.email),
  );
  const passwordHash = missing.length > 0 ? await hasher.hash(DEMO_PASSWORD) : '';

  // Counted per attempt: a retried transaction starts its report afresh.
  return inTransaction(db, async (manager) => {
    const report: SeedReport = { organisationsCreated: 0, usersCreated: 0 };
    for (const demo of DEMO_ORGANISATIONS) {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(OrganisationEntity)
        .values({ slug: demo.slug, name: demo.name, maturityLevel: demo.maturityLevel })
        .orIgnore()
        .execute();
      report.organisationsCreated += inserted.identifiers.filter(Boolean).length;
      const organisation = await manager.findOneByOrFail(OrganisationEntity, { slug: demo.slug });
      await manager
        .createQueryBuilder()
        .insert()
        .into(ToneProfileEntity)
        .values(toneProfileColumns(organisation.id, demo.tone))
        .orIgnore()
        .execute();
      if (demo.templates.length > 0) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(TemplateEntity)
          .values(
            demo.templates.map((template) => ({
              organisationId: organisation.id,
              name: template.name,
              body: template.body,
              providers: template.providers ?? [],
            })),
          )
          .orIgnore()
          .execute();
      }

      for (const user of demo.users.filter((u) => !existingEmails.has(u.email))) {
        const result = await manager
          .createQueryBuilder()
          .insert()
          .into(UserEntity)
          .values({
            organisationId: organisation.id,
            email: user.email,
            name: user.name,
            initials: initialsOf(user.name),
            role: user.role,
            trainedAt: user.trained ? new Date(now.getTime() - 30 * 24 * 60 * 60 * 1000) : null,
            languages: user.languages ?? [],
            passwordHash,
          })
          .orIgnore()
          .execute();
        report.usersCreated += result.identifiers.filter(Boolean).length;
      }
    }
    return report;
  });
}

import { OrganisationEntity, ToneProfileEntity, UserEntity } from '@toonbank/database';
import type { MaturityLevel, Role } from '@toonbank/shared';
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

interface DemoOrganisation {
  slug: string;
  name: string;
  maturityLevel: MaturityLevel;
  users: DemoUser[];
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
  },
  {
    slug: 'acme',
    name: 'Acme',
    maturityLevel: 1,
    users: [{ email: 'admin@acme.test', name: 'Morgan Reed', role: 'admin', languages: ['en'] }],
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
  const report: SeedReport = { organisationsCreated: 0, usersCreated: 0 };
  const existingEmails = new Set(
    (await db.getRepository(UserEntity).find({ select: { email: true } })).map((u) => u.email),
  );
  const missing = DEMO_ORGANISATIONS.flatMap((o) => o.users).filter(
    (u) => !existingEmails.has(u.email),
  );
  const passwordHash = missing.length > 0 ? await hasher.hash(DEMO_PASSWORD) : '';

  await db.transaction(async (manager) => {
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
        .values({ organisationId: organisation.id })
        .orIgnore()
        .execute();

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
  });
  return report;
}

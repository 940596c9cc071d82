import { dataSourceOptions, runMigrationsLocked } from '@toonbank/database';
import { DataSource } from 'typeorm';

let shared: Promise<DataSource> | undefined;

/** A connection to the test database, migrated to the latest schema (once per suite). */
export function testDatabase(): Promise<DataSource> {
  shared ??= (async () => {
    const db = new DataSource(
      dataSourceOptions({ url: process.env.DATABASE_URL as string, poolSize: 4 }),
    );
    await db.initialize();
    await runMigrationsLocked(db);
    return db;
  })();
  return shared;
}

export async function closeTestDatabase(): Promise<void> {
  if (!shared) return;
  const db = await shared;
  shared = undefined;
  await db.destroy();
}

/** A fresh, empty database of its own on the same server (for migration and seed tests). */
export async function createScratchDatabase(
  name: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL as string });
  await admin.initialize();
  const database = `${name}_${process.pid}_${Date.now()}`;
  await admin.query(`CREATE DATABASE "${database}"`);
  const url = new URL(process.env.DATABASE_URL as string);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.destroy();
    },
  };
}

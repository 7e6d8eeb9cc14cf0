/** The only code that touches the directory tables (partners stay in federation-repository.ts). */
import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { federationDirectory, federationNationalLists } from './directory-tables.js';

export type DirectoryRow = typeof federationDirectory.$inferSelect;
export type NationalListRow = typeof federationNationalLists.$inferSelect;
export type NationalListPatch = Partial<Omit<typeof federationNationalLists.$inferInsert, 'country' | 'createdAt'>>;

export function createDirectoryRepository() {
  return {
    async get(db: Executor): Promise<DirectoryRow | undefined> {
      const [row] = await db.select().from(federationDirectory).where(eq(federationDirectory.id, 1));
      return row;
    },

    /** The directory row, locked until the transaction ends (one sync writes it at a time). */
    async lock(db: Executor): Promise<DirectoryRow> {
      await db.insert(federationDirectory).values({ id: 1 }).onConflictDoNothing();
      const [row] = await db.select().from(federationDirectory).where(eq(federationDirectory.id, 1)).for('update');
      return row!;
    },

    async set(db: Executor, patch: Partial<Omit<DirectoryRow, 'id'>>): Promise<void> {
      await db.insert(federationDirectory).values({ id: 1, ...patch }).onConflictDoUpdate({ target: federationDirectory.id, set: patch });
    },

    async lists(db: Executor): Promise<NationalListRow[]> {
      return db.select().from(federationNationalLists).orderBy(asc(federationNationalLists.country));
    },

    async list(db: Executor, country: string): Promise<NationalListRow | undefined> {
      const [row] = await db.select().from(federationNationalLists).where(eq(federationNationalLists.country, country));
      return row;
    },

    async insertList(db: Executor, row: typeof federationNationalLists.$inferInsert): Promise<void> {
      await db.insert(federationNationalLists).values(row);
    },

    async updateList(db: Executor, country: string, patch: NationalListPatch, at: Date): Promise<void> {
      await db.update(federationNationalLists).set({ ...patch, updatedAt: at }).where(eq(federationNationalLists.country, country));
    },

    async deleteList(db: Executor, country: string): Promise<void> {
      await db.delete(federationNationalLists).where(eq(federationNationalLists.country, country));
    },
  };
}

export type DirectoryRepository = ReturnType<typeof createDirectoryRepository>;

import type { Knex } from 'knex';

export type Role = 'reader' | 'admin';

export interface User {
  id: number;
  username: string;
  role: Role;
  createdAt: Date;
}

export interface UserWithHash extends User {
  /** null: the account logs in with a Lightning key only. */
  passwordHash: string | null;
}

export interface UserRow {
  id: number;
  username: string;
  password_hash: string | null;
  role: Role;
  created_at: Date;
}

/** The one mapping from a users row (any query that selects these columns) to a User. */
export const toUser = (r: Pick<UserRow, 'id' | 'username' | 'role' | 'created_at'>): User => ({
  id: r.id,
  username: r.username,
  role: r.role,
  createdAt: r.created_at,
});

export interface UsersRepo {
  findById(id: number): Promise<User | null>;
  findByUsernameWithHash(username: string): Promise<UserWithHash | null>;
  /** Case-insensitive, as usernames are unique case-insensitively. */
  findByUsername(username: string): Promise<User | null>;
  /** Returns null when the username is taken (case-insensitively). */
  create(input: { username: string; passwordHash: string; role?: Role }): Promise<User | null>;
}

/**
 * Inserts an account, or returns null when the username is taken (case-insensitively) or retired
 * (the names of deleted accounts: src/accounts/account-page/delete-account.ts). Insert-only, so two
 * sign-ups racing for one name meet at the unique index, not in our code. Every way of making an
 * account goes through here (a Lightning login's inside its transaction).
 */
export async function insertUser(
  db: Knex | Knex.Transaction,
  input: { username: string; passwordHash: string | null; role?: Role },
): Promise<UserRow | null> {
  const { rows } = await db.raw<{ rows: UserRow[] }>(
    `INSERT INTO users (username, password_hash, role) SELECT ?, ?, ?
     WHERE NOT EXISTS (SELECT 1 FROM retired_usernames WHERE name_hash = encode(sha256(convert_to(lower(?), 'UTF8')), 'hex'))
     ON CONFLICT ((lower(username))) DO NOTHING RETURNING *`,
    [input.username, input.passwordHash, input.role ?? 'reader', input.username],
  );
  return rows[0] ?? null;
}

export function createUsersRepo(knex: Knex): UsersRepo {
  return {
    async findById(id) {
      const row = await knex<UserRow>('users').where({ id }).first();
      return row ? toUser(row) : null;
    },
    async findByUsernameWithHash(username) {
      const row = await knex<UserRow>('users').whereRaw('lower(username) = lower(?)', [username]).first();
      return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
    },
    async findByUsername(username) {
      const row = await knex<UserRow>('users').whereRaw('lower(username) = lower(?)', [username]).first();
      return row ? toUser(row) : null;
    },
    async create(input) {
      const row = await insertUser(knex, input);
      return row ? toUser(row) : null;
    },
  };
}

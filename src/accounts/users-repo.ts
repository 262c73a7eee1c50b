import type { Knex } from 'knex';

export type Role = 'reader' | 'admin';

export interface User {
  id: number;
  username: string;
  role: Role;
  createdAt: Date;
}

export interface UserWithHash extends User {
  passwordHash: string;
}

export interface UserRow {
  id: number;
  username: string;
  password_hash: string;
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
    async create({ username, passwordHash, role = 'reader' }) {
      // Insert-only, so two sign-ups racing for one name meet at the unique index, not in our code.
      const rows = await knex.raw<{ rows: UserRow[] }>(
        `INSERT INTO users (username, password_hash, role) VALUES (?, ?, ?)
         ON CONFLICT ((lower(username))) DO NOTHING RETURNING *`,
        [username, passwordHash, role],
      );
      const row = rows.rows[0];
      return row ? toUser(row) : null;
    },
  };
}

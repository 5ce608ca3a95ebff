// One way in to the database for every process: PostgreSQL through knex + pg when
// DATABASE_URL is set, otherwise PGlite (real PostgreSQL in WASM) in a data folder. Same
// migrations, same SQL. Every transaction states whom it acts for (db/access.ts).
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { mkdirSync } from 'node:fs';
import type { Access } from './access.js';
import { lockDataFolder } from './pglite-lock.js';

export interface DatabaseOptions {
  /** postgres://... ; absent: PGlite in dataDir. */
  url?: string;
  /** PGlite data folder; 'memory' for an in-memory database. Default ./.camau/pgdata. */
  dataDir?: string;
  /** Connection pool size for PostgreSQL. */
  poolMax?: number;
}

/** One SQL statement with `?` placeholders (as knex.raw takes them) and their values. */
export interface Statement {
  sql: string;
  values?: readonly unknown[];
}

/**
 * A transaction for the commands of runtime/: few statements, sent in as few round trips as
 * possible. Statements whose results nobody reads are queued and go to the server with the
 * next query, or with COMMIT when the transaction ends. On PostgreSQL the first query also
 * carries BEGIN and the access settings, and the last batch carries COMMIT: a command that
 * reads once and then writes is two round trips. On PGlite (one statement per call) and
 * inside a transaction someone else holds, the same statements run one by one.
 */
export interface CommandTx {
  /**
   * Sends the queued statements, then this one; returns its rows. With `commit`, this is the
   * transaction's last statement and COMMIT goes with it (on a knex transaction, whoever holds
   * it commits).
   */
  query<R = Record<string, unknown>>(s: Statement, opts?: { commit?: boolean }): Promise<R[]>;
  /** Queues a statement; it runs before the next query, or at the end of the transaction. */
  queue(s: Statement): void;
  /** A knex on this transaction's connection, for the occasional builder query (the queued statements are sent first). */
  knex(): Promise<Knex>;
}

/** A pg client as knex's pool hands it out. */
interface PgConnection {
  __knex__disposed?: unknown;
  __knexTxId?: string;
}

interface PgResult {
  rows: Array<Record<string, unknown>>;
}

interface KnexPgClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<unknown>;
  _query(connection: PgConnection, obj: { sql: string; bindings: unknown[] }): Promise<{ response: PgResult | PgResult[] }>;
}

let txCounter = 0;

export class Database {
  /** A knex bound to each pooled pg connection, made once per connection (see CommandTx.knex). */
  private bound = new WeakMap<PgConnection, Knex>();

  private constructor(
    readonly kind: 'pg' | 'pglite',
    readonly knex: Knex,
    /** Gives back the PGlite data folder's lock (db/pglite-lock.ts). */
    private unlock: () => void = () => undefined,
  ) {}

  static open(opts: DatabaseOptions = {}): Database {
    if (opts.url) {
      const knex = knexFactory({
        client: 'pg',
        connection: opts.url,
        pool: { min: 0, max: opts.poolMax ?? 10 },
      });
      return new Database('pg', knex);
    }
    const dir = opts.dataDir ?? './.camau/pgdata';
    let unlock = () => undefined as void;
    if (dir !== 'memory') {
      mkdirSync(dir, { recursive: true });
      unlock = lockDataFolder(dir);
    }
    const knex = knexFactory({
      client: ClientPgLite as unknown as typeof Knex.Client,
      dialect: 'postgres',
      connection: dir === 'memory' ? {} : { filename: dir },
    } as Knex.Config);
    return new Database('pglite', knex, unlock);
  }

  /**
   * Runs `fn` in one transaction acting for `access`. The role and tenant settings are
   * transaction-local (set_config(..., true)), so a pooled connection never carries them over.
   */
  async transaction<T>(access: Access, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.knex.transaction(async (trx) => {
      const s = accessSettings(access);
      await trx.raw(s.sql, (s.values ?? []) as Knex.RawBinding[]);
      return fn(trx);
    });
  }

  /**
   * Runs `fn` in one transaction acting for `access`, as a CommandTx: on PostgreSQL, one pooled
   * connection driven directly (BEGIN and the settings travel with the first query, COMMIT with
   * the last writes); on PGlite, a knex transaction. A throw rolls everything back.
   */
  async command<T>(access: Access, fn: (tx: CommandTx) => Promise<T>): Promise<T> {
    if (this.kind !== 'pg') return this.transaction(access, (trx) => Database.within(trx, fn));
    const client = this.knex.client as unknown as KnexPgClient;
    const conn = await client.acquireConnection();
    // The same marker knex's own transactions leave on their connection (a tracer groups by it).
    conn.__knexTxId = `cmd${++txCounter}`;
    const tx = new PgCommandTx(client, conn, inline(accessSettings(access)), () => this.boundKnex(conn));
    try {
      const result = await fn(tx);
      await tx.commit();
      return result;
    } catch (e) {
      await tx.rollback();
      throw e;
    } finally {
      delete conn.__knexTxId;
      await client.releaseConnection(conn);
    }
  }

  /** Runs `fn` as a CommandTx inside a knex transaction the caller holds; its queued statements are sent before this returns. */
  static async within<T>(trx: Knex, fn: (tx: CommandTx) => Promise<T>): Promise<T> {
    const tx = new KnexCommandTx(trx);
    const result = await fn(tx);
    await tx.flush();
    return result;
  }

  async close(): Promise<void> {
    try {
      await this.knex.destroy();
    } finally {
      this.unlock();
    }
  }

  /**
   * A knex whose every query runs on `conn` (inside the command's transaction): a clone of
   * this knex (withUserParams copies its client) that acquires `conn` and never releases it,
   * as knex's own transaction client does.
   */
  private boundKnex(conn: PgConnection): Knex {
    let k = this.bound.get(conn);
    if (!k) {
      k = this.knex.withUserParams({});
      const c = k.client as unknown as { acquireConnection(): Promise<PgConnection>; releaseConnection(): Promise<void>; transacting: boolean };
      c.acquireConnection = () => Promise.resolve(conn);
      c.releaseConnection = () => Promise.resolve();
      // Nested knex transactions on it become savepoints.
      c.transacting = true;
      this.bound.set(conn, k);
    }
    return k;
  }
}

/** The role and tenant settings of a transaction acting for `access`, local to the transaction. */
function accessSettings(access: Access): Statement {
  if (access.kind === 'system') return { sql: `select set_config('role', 'camau_worker', true)` };
  return {
    sql: `select set_config('role', 'camau_app', true), set_config('camau.tenant_ids', ?, true), set_config('camau.school_tenant_ids', ?, true), set_config('camau.school_ids', ?, true), set_config('camau.user_id', ?, true)`,
    values: [access.tenantIds.join(','), access.schoolTenantIds.join(','), (access.schoolIds ?? []).join(','), access.userId],
  };
}

/** A CommandTx on one pg connection, batching statements into multi-statement simple queries. */
class PgCommandTx implements CommandTx {
  private begun = false;
  private pending: string[] = [];

  constructor(
    private client: KnexPgClient,
    private conn: PgConnection,
    private settings: string,
    private bound: () => Knex,
  ) {}

  async query<R>(s: Statement, opts: { commit?: boolean } = {}): Promise<R[]> {
    const parts = [...this.take(), inline(s)];
    if (opts.commit) parts.push('COMMIT');
    const res = await this.send(parts);
    if (opts.commit) this.begun = false;
    const results = Array.isArray(res) ? res : [res];
    return results[results.length - (opts.commit ? 2 : 1)].rows as R[];
  }

  queue(s: Statement): void {
    this.pending.push(inline(s));
  }

  async knex(): Promise<Knex> {
    if (!this.begun || this.pending.length) await this.send(this.take());
    return this.bound();
  }

  async commit(): Promise<void> {
    if (!this.begun && this.pending.length === 0) return;
    await this.send([...this.take(), 'COMMIT']);
    this.begun = false;
  }

  async rollback(): Promise<void> {
    this.pending = [];
    if (!this.begun) return;
    this.begun = false;
    try {
      await this.send(['ROLLBACK']);
    } catch (e) {
      // The connection is in no state to be reused: the pool drops it.
      this.conn.__knex__disposed = e;
    }
  }

  /** The queued statements, preceded by BEGIN and the settings if the transaction has not begun. */
  private take(): string[] {
    const parts = this.begun ? this.pending : ['BEGIN', this.settings, ...this.pending];
    this.begun = true;
    this.pending = [];
    return parts;
  }

  private async send(parts: string[]): Promise<PgResult | PgResult[]> {
    // No bindings: pg sends it as one simple-protocol query, every statement in one round trip.
    const obj = await this.client._query(this.conn, { sql: parts.join(';\n'), bindings: [] });
    return obj.response;
  }
}

/** A CommandTx on a knex transaction: each statement on its own (PGlite runs one per call). */
class KnexCommandTx implements CommandTx {
  private pending: Statement[] = [];

  constructor(private trx: Knex) {}

  async query<R>(s: Statement): Promise<R[]> {
    await this.flush();
    const r = await this.trx.raw(s.sql, (s.values ?? []) as Knex.RawBinding[]);
    return r.rows as R[];
  }

  queue(s: Statement): void {
    this.pending.push(s);
  }

  async knex(): Promise<Knex> {
    await this.flush();
    return this.trx;
  }

  async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    for (const s of pending) await this.trx.raw(s.sql, (s.values ?? []) as Knex.RawBinding[]);
  }
}

/** The statement with its values written in as SQL literals (for the simple query protocol). */
export function inline(s: Statement): string {
  const values = s.values ?? [];
  let i = 0;
  const sql = s.sql.replace(/\?/g, () => {
    if (i >= values.length) throw new Error(`Too few values for statement: ${s.sql}`);
    return literal(values[i++]);
  });
  if (i !== values.length) throw new Error(`Too many values for statement: ${s.sql}`);
  return sql;
}

/** A SQL literal for a value, quoted as pg's escapeLiteral does (safe whatever standard_conforming_strings says). */
export function literal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`Not a finite number: ${v}`);
    return String(v);
  }
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : JSON.stringify(v);
  // PostgreSQL text never holds NUL; a bound parameter is refused the same way.
  if (s.includes('\0')) throw new Error('invalid byte sequence for encoding "UTF8": 0x00');
  const quoted = s.replace(/'/g, "''");
  return s.includes('\\') ? ` E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

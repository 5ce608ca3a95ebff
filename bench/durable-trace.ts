// Round-trip tracing for the durable benchmark's profile: wraps the knex pg client's `_query`
// (every statement sent to the server, BEGIN and COMMIT included) and records each one with
// its transaction id and its round-trip time. Only used outside the timed runs: the wrapper
// itself costs a little.
import type { Knex } from 'knex';

export interface TracedQuery {
  txId: string | undefined;
  sql: string;
  bindings: unknown[];
  ms: number;
}

type QueryFn = (connection: { __knexTxId?: string }, obj: { sql: string; bindings?: unknown[] }) => Promise<unknown>;

export class QueryTracer {
  readonly queries: TracedQuery[] = [];
  private proto: { _query: QueryFn } | undefined;
  private original: QueryFn | undefined;

  install(knex: Knex): void {
    const proto = Object.getPrototypeOf(knex.client) as { _query: QueryFn };
    const original = proto._query;
    const queries = this.queries;
    proto._query = async function (this: unknown, connection, obj) {
      const s = performance.now();
      try {
        return await original.call(this, connection, obj);
      } finally {
        queries.push({ txId: connection.__knexTxId, sql: obj.sql, bindings: obj.bindings ?? [], ms: performance.now() - s });
      }
    };
    this.proto = proto;
    this.original = original;
  }

  uninstall(): void {
    if (this.proto && this.original) this.proto._query = this.original;
    this.proto = undefined;
  }

  /** Queries grouped by transaction, in the order the transactions began. */
  byTransaction(): TracedQuery[][] {
    const groups = new Map<string, TracedQuery[]>();
    for (const q of this.queries) {
      const k = q.txId ?? `none-${groups.size}`;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      g.push(q);
    }
    return [...groups.values()];
  }
}

/** A statement with its literals and bindings elided, for grouping. */
export function shape(sql: string): string {
  return sql.replace(/E?'(?:[^']|'')*'/g, "'…'").replace(/\$\d+/g, '?').replace(/\s+/g, ' ').replace(/\(\?(, \?)*\)/g, '(…)').trim();
}

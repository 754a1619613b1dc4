/**
 * Named (prepared) statements: the same statement text is the same prepared statement on every
 * connection, so PostgreSQL parses and plans each of the store's few texts once per connection, not
 * on every request.
 */
import type pg from 'pg';

export type Queryable = pg.Pool | pg.PoolClient;

/** Each statement text's name. */
const statementNames = new Map<string, string>();

/** `db`, with every statement it runs prepared once per connection. */
export function prepared(db: Queryable) {
  return {
    query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]) {
      let name = statementNames.get(text);
      if (name === undefined) statementNames.set(text, (name = `cpq_${statementNames.size + 1}`));
      return db.query<R>({ name, text, ...(values ? { values } : {}) });
    },
  };
}

export type Prepared = ReturnType<typeof prepared>;

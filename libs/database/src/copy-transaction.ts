import { type ClientBase, type QueryResult, type QueryResultRow } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * One transaction's statements on its connection, with the fewest round trips: under load each
 * round trip waits for a turn of a busy event loop (docs/performance.md, "Where a commit's time
 * goes"). `BEGIN` travels in the same simple query as the first COPY and `COMMIT` in the same as
 * the last: Postgres runs the statements of one query string in order and stops at the first
 * error, so the transaction is exactly as it was with separate round trips. A parameterised
 * statement (extended protocol, one statement) gets its own `BEGIN`. The caller rolls back on a
 * failure, as with any transaction on its client.
 */
export class CopyTransaction {
  private begun = false;
  private committed = false;

  constructor(private readonly client: ClientBase) {}

  async query<R extends QueryResultRow>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
    if (!this.begun) {
      await this.client.query('BEGIN');
      this.begun = true;
    }
    return this.client.query<R>(sql, params);
  }

  /** `COPY ... FROM STDIN` with `data` as the whole stream; `last` commits with it. */
  async copy(sql: string, data: Buffer, last = false): Promise<void> {
    const text = `${this.begun ? '' : 'BEGIN; '}${sql}${last ? '; COMMIT' : ''}`;
    this.begun = true;
    await copyIn(this.client, text, data);
    if (last) this.committed = true;
  }

  async commit(): Promise<void> {
    if (this.begun && !this.committed) await this.client.query('COMMIT');
    this.committed = true;
  }
}

/** Runs one `COPY ... FROM STDIN` with `data` as the whole stream. */
function copyIn(client: ClientBase, sql: string, data: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const stream = client.query(copyFrom(sql));
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end(data);
  });
}

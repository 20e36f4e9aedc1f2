/** A value SQLite and PostgreSQL both bind: what flordb writes into its tables. */
export type SqlValue = string | number | bigint | boolean | null | Buffer

/**
 * The store contract. The record path, the dataframe and replay speak only to
 * this; each database lives in its own folder and is loaded when it is used.
 * Statements use `?` placeholders; a backend that needs another style rewrites them.
 */
export interface Backend {
  readonly name: 'sqlite' | 'postgres'
  /** True when runs on several machines may write to the same store. */
  readonly supportsRemoteWriters: boolean
  /** Where the store lives, for messages (a path, or a URL without its password). */
  readonly location: string

  migrate(): Promise<void>
  run(sql: string, params?: readonly SqlValue[]): Promise<number>
  all<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>
  /** Rows as positional arrays: the bulk read path of the dataframe. */
  rows(sql: string, params?: readonly SqlValue[]): Promise<unknown[][]>
  /** A read-only statement from a user; writes are refused with E_READ_ONLY_QUERY. */
  readOnly(sql: string, params?: readonly SqlValue[]): Promise<Record<string, unknown>[]>
  /** Runs `work` in one write transaction, retried while another writer holds the lock. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/** Writes inside `Backend.transaction`. */
export interface Transaction {
  run(sql: string, params?: readonly SqlValue[]): Promise<number>
  get<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined>
  all<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>
  /** One statement for many rows: the bulk write path of ingestion. */
  insertMany(sql: string, rows: readonly (readonly SqlValue[])[]): Promise<void>
}

import type { Backend, SqlValue, Transaction } from '../backend.js'
import { FlorError } from '../../errors.js'
import { migrations } from '../schema.js'

/** The few better-sqlite3 methods flordb calls, so the driver's types stay at the edge. */
export interface SqliteStatement {
  readonly readonly: boolean
  /** True when the statement returns rows. */
  readonly reader: boolean
  run(...params: SqlValue[]): { changes: number }
  get(...params: SqlValue[]): unknown
  all(...params: SqlValue[]): unknown[]
  raw(toggle?: boolean): SqliteStatement
}

export interface SqliteHandle {
  pragma(source: string, options?: { simple?: boolean }): unknown
  prepare(sql: string): SqliteStatement
  exec(sql: string): unknown
  close(): void
  readonly inTransaction: boolean
}

const busyTimeoutMs = 5_000

export class SqliteBackend implements Backend {
  readonly name = 'sqlite'
  readonly supportsRemoteWriters = false
  readonly location: string
  readonly #db: SqliteHandle
  readonly #statements = new Map<string, SqliteStatement>()
  #queue: Promise<unknown> = Promise.resolve()

  constructor(db: SqliteHandle, location: string) {
    this.#db = db
    this.location = location
  }

  async migrate(): Promise<void> {
    this.#guard(() => {
      // The timeout first: switching to WAL waits for a writer like any statement.
      this.#db.pragma(`busy_timeout = ${busyTimeoutMs}`)
      this.#db.pragma('journal_mode = WAL')
      this.#db.pragma('synchronous = NORMAL')
    })

    const schemaVersion = () =>
      this.#guard(() => this.#db.pragma('user_version', { simple: true }) as number)

    // A store that is up to date is only read: opening it takes no write lock
    // and leaves the file as it was.
    if (schemaVersion() >= migrations.length) return

    await this.transaction(async () => {
      const version = schemaVersion()

      for (const [index, statements] of migrations.entries()) {
        if (index < version) continue

        for (const sql of statements) this.#db.exec(sql)
      }

      this.#db.pragma(`user_version = ${migrations.length}`)
    })
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.#guard(() => this.#prepare(sql).run(...params).changes)
  }

  async all<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.#guard(() => this.#prepare(sql).all(...params) as Row[])
  }

  async rows(sql: string, params: readonly SqlValue[] = []): Promise<unknown[][]> {
    return this.#guard(() => this.#db.prepare(sql).raw(true).all(...params) as unknown[][])
  }

  async readOnly(sql: string, params: readonly SqlValue[] = []): Promise<Record<string, unknown>[]> {
    const statement = this.#guard(() => this.#db.prepare(sql), 'E_BAD_QUERY')

    // ATTACH, BEGIN and `pragma query_only` count as read-only to SQLite, yet
    // they return no rows; ATTACH can create files. A query must return rows.
    if (!statement.readonly || !statement.reader) {
      throw new FlorError('E_READ_ONLY_QUERY', 'query is read-only: use select statements only')
    }

    // better-sqlite3 binds no booleans; SQLite's own are the integers 1 and 0.
    const bound = params.map((value) => (typeof value === 'boolean' ? Number(value) : value))

    return this.#guard(() => statement.all(...bound) as Record<string, unknown>[], 'E_BAD_QUERY')
  }

  /**
   * Writers in one process take turns through a queue; writers in other
   * processes are held off by BEGIN IMMEDIATE, which waits out the busy timeout.
   */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const next = this.#queue.then(() => this.#transact(work))

    this.#queue = next.catch(() => undefined)

    return next
  }

  async close(): Promise<void> {
    await this.#queue
    this.#statements.clear()
    this.#db.close()
  }

  async #transact<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    await this.#begin()

    try {
      const result = await work(this.#transactionView())

      this.#db.exec('commit')

      return result
    } catch (error) {
      if (this.#db.inTransaction) this.#db.exec('rollback')

      throw error
    }
  }

  // busy_timeout covers most contention; a writer that keeps the lock longer
  // (a big ingestion elsewhere) is waited for here instead of failing the run.
  async #begin(): Promise<void> {
    const deadline = Date.now() + 60_000

    for (;;) {
      try {
        this.#db.exec('begin immediate')

        return
      } catch (error) {
        if (!isBusy(error) || Date.now() > deadline) throw toFlorError(error, this.location)

        await new Promise((resolve) => setTimeout(resolve, 25))
      }
    }
  }

  #transactionView(): Transaction {
    return {
      run: async (sql, params = []) => this.#guard(() => this.#prepare(sql).run(...params).changes),
      get: async <Row>(sql: string, params: readonly SqlValue[] = []) =>
        this.#guard(() => this.#prepare(sql).get(...params) as Row | undefined),
      all: async <Row>(sql: string, params: readonly SqlValue[] = []) =>
        this.#guard(() => this.#prepare(sql).all(...params) as Row[]),
      insertMany: async (sql, rows) => {
        const statement = this.#prepare(sql)

        this.#guard(() => {
          for (const row of rows) statement.run(...row)
        })
      },
    }
  }

  #prepare(sql: string): SqliteStatement {
    let statement = this.#statements.get(sql)

    if (!statement) {
      statement = this.#guard(() => this.#db.prepare(sql))
      this.#statements.set(sql, statement)
    }

    return statement
  }

  #guard<T>(work: () => T, code?: 'E_BAD_QUERY'): T {
    try {
      return work()
    } catch (error) {
      throw toFlorError(error, this.location, code)
    }
  }
}

const isBusy = (error: unknown): boolean =>
  (error as { code?: string }).code === 'SQLITE_BUSY' ||
  (error as { code?: string }).code === 'SQLITE_LOCKED'

/** Turns the driver's errors a user can act on into FlorErrors; the rest stay bugs. */
export function toFlorError(error: unknown, location: string, code?: 'E_BAD_QUERY'): unknown {
  if (error instanceof FlorError) return error

  const sqliteCode = (error as { code?: string }).code ?? ''
  const message = (error as Error).message

  if (sqliteCode === 'SQLITE_NOTADB' || sqliteCode === 'SQLITE_CORRUPT') {
    return new FlorError(
      'E_STORE_CORRUPT',
      `the store at ${location} is damaged (${message}); move it aside and run "flordb unpack" to rebuild it from git`,
      { cause: error },
    )
  }

  if (sqliteCode.startsWith('SQLITE_READONLY') || sqliteCode === 'SQLITE_CANTOPEN') {
    return new FlorError(
      'E_STORE_READ_ONLY',
      `cannot write the store at ${location} (${message}); check its permissions`,
      { cause: error },
    )
  }

  if (isBusy(error)) {
    return new FlorError(
      'E_STORE_LOCKED',
      `the store at ${location} is locked by another process; try again when it finishes`,
      { cause: error },
    )
  }

  // A user's query may name a missing table or pass the wrong number of parameters.
  if (code && (sqliteCode.startsWith('SQLITE_') || error instanceof RangeError)) {
    return new FlorError(code, message, { cause: error })
  }

  return error
}

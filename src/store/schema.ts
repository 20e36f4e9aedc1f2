import { backfillColumnsSql, columnTables } from '../frame/column-tables.js'

/**
 * The store's tables. The journal is the source of truth; these tables are an
 * index over it, rebuilt by `flordb unpack` from git history alone.
 *
 * Values in `logs.value` keep SQLite's dynamic type and are read back through
 * `vtype` (see `src/record/encode-value.ts`):
 * - `number`: REAL, or TEXT `NaN` / `Infinity` / `-Infinity`
 * - `string`: TEXT
 * - `boolean`: INTEGER 0 or 1
 * - `null`: NULL
 * - `json`: TEXT holding JSON (objects, arrays and the tagged encodings)
 * - `date`: TEXT, ISO-8601 in UTC
 * - `bigint`: TEXT of decimal digits
 *
 * A checkpoint's `point` says when it was taken within its loop context:
 * `end` at the end of that iteration, `loop:<name>:<k>` when the k-th loop
 * named `<name>` nested directly in it had finished (what replay restores
 * instead of running that loop again).
 */
export const migrations: readonly (readonly string[])[] = [
  [
    `create table runs (
      run_id integer primary key,
      projid text not null,
      tstamp text not null,
      filename text not null,
      version text,
      head text,
      branch text,
      argv text not null,
      runtime text not null,
      status text not null,
      started_at text not null,
      ended_at text,
      unique (projid, tstamp)
    )`,
    `create table loops (
      run_id integer not null,
      ctx_id integer not null,
      parent_ctx_id integer,
      name text not null,
      iteration integer not null,
      value,
      primary key (run_id, ctx_id)
    ) without rowid`,
    `create table logs (
      run_id integer not null,
      seq integer not null,
      ctx_id integer,
      name text not null,
      vtype text not null,
      value,
      replayed_from text,
      primary key (run_id, seq)
    ) without rowid`,
    `create index logs_by_name on logs (name, run_id)`,
    `create table checkpoints (
      run_id integer not null,
      ctx_id integer not null,
      point text not null,
      object text not null,
      hash text not null,
      size integer not null,
      location text not null,
      primary key (run_id, ctx_id, point, object)
    ) without rowid`,
    `create table timings (
      run_id integer not null,
      kind text not null,
      ctx_id integer,
      name text,
      seconds real not null
    )`,
    `create index timings_by_run on timings (run_id)`,
    `create table journals (
      path text primary key,
      run_id integer not null,
      ingested_at text not null
    ) without rowid`,
  ],
  // The dataframe's columnar copy of each run's records, filled from the rows of a store
  // that predates it.
  [...columnTables, ...backfillColumnsSql()],
]

/** Names that every dataframe row carries and that no log or loop may shadow. */
export const reservedColumns: readonly string[] = ['projid', 'tstamp', 'filename']

import type { Backend, SqlValue, Transaction } from '../store/backend.js'
import { storedValue, type ValueType } from '../record/encode-value.js'
import { writeColumns, writeReplayedColumns } from '../frame/write-columns.js'
import type { RunStatus } from './journal-entry.js'
import type { JournalContents } from './read-journal.js'

export interface IngestOptions {
  /** The journal's name in the store: its path under flordb's folder, the same live and unpacked. */
  key: string
  /** The run's status when the journal has none of its own (a killed run). */
  status?: RunStatus
  /** The code version, when it is known from outside the journal (unpacking from git). */
  version?: string | null
}

export type IngestResult = 'ingested' | 'already' | 'orphan-replay'

/** Adds one journal to the store, once: a journal seen before is left alone. */
export function ingestJournal(
  backend: Backend,
  journal: JournalContents,
  options: IngestOptions,
): Promise<IngestResult> {
  return backend.transaction(async (tx) => {
    const seen = await tx.get('select 1 as seen from journals where path = ?', [options.key])

    if (seen) return 'already'

    const runId = journal.header.replay
      ? await addReplayed(tx, journal)
      : await addRun(tx, journal, options)

    if (runId === undefined) return 'orphan-replay'

    await tx.run('insert into journals (path, run_id, ingested_at) values (?, ?, ?)', [
      options.key,
      runId,
      new Date().toISOString(),
    ])

    return 'ingested'
  })
}

async function addRun(
  tx: Transaction,
  journal: JournalContents,
  options: IngestOptions,
): Promise<number> {
  const { header } = journal
  const status = journal.status ?? options.status ?? 'interrupted'
  const version = options.version !== undefined ? options.version : (journal.version ?? null)

  const row = await tx.get<{ run_id: number }>(
    `insert into runs (projid, tstamp, filename, version, head, branch, argv, runtime, status, started_at, ended_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning run_id`,
    [
      header.projid,
      header.tstamp,
      header.filename,
      version,
      header.head,
      header.branch,
      JSON.stringify(header.argv),
      JSON.stringify(header.runtime),
      status,
      header.startedAt,
      journal.endedAt ?? null,
    ],
  )
  const runId = row!.run_id

  const loopRows = journal.contexts.map(([, id, parent, name, iteration, value]) => [
    runId,
    id,
    parent,
    name,
    iteration,
    loopValue(value),
  ])
  const logRows = journal.logs.map(([, context, name, type, value], seq) => [
    runId,
    seq,
    context,
    name,
    type,
    storedValue(type as ValueType, value),
  ])

  await tx.insertMany(
    'insert into loops (run_id, ctx_id, parent_ctx_id, name, iteration, value) values (?, ?, ?, ?, ?, ?)',
    loopRows,
  )
  await tx.insertMany(
    'insert into logs (run_id, seq, ctx_id, name, vtype, value) values (?, ?, ?, ?, ?, ?)',
    logRows,
  )
  await writeColumns(tx, runId, loopRows, logRows)
  await addCheckpointsAndTimings(tx, runId, journal)

  return runId
}

/**
 * A replay's records join the run they replay. Its loop contexts are matched
 * to the run's own by position (parent, name, iteration), and its values
 * replace what an earlier replay of the same names wrote, so replaying twice
 * writes nothing twice.
 */
async function addReplayed(tx: Transaction, journal: JournalContents): Promise<number | undefined> {
  const replay = journal.header.replay!
  const run = await tx.get<{ run_id: number }>(
    'select run_id from runs where projid = ? and tstamp = ?',
    [journal.header.projid, replay.of],
  )

  if (!run) return undefined

  const runId = run.run_id
  const known = await tx.get<{ next: number }>(
    'select coalesce(max(ctx_id), 0) + 1 as next from loops where run_id = ?',
    [runId],
  )
  let nextId = known!.next
  const ids = new Map<number, number>()
  const addedLoops: SqlValue[][] = []

  for (const [, id, parent, name, iteration, value] of journal.contexts) {
    const parentId = parent === null ? null : (ids.get(parent) ?? null)
    const existing = await tx.get<{ ctx_id: number }>(
      `select ctx_id from loops where run_id = ? and name = ? and iteration = ?
       and parent_ctx_id is ?`,
      [runId, name, iteration, parentId],
    )

    if (existing) {
      ids.set(id, existing.ctx_id)
      continue
    }

    const loopRow = [runId, nextId, parentId, name, iteration, loopValue(value)]

    ids.set(id, nextId++)
    addedLoops.push(loopRow)
    await tx.run(
      'insert into loops (run_id, ctx_id, parent_ctx_id, name, iteration, value) values (?, ?, ?, ?, ?, ?)',
      loopRow,
    )
  }

  // A replay replaces what an earlier replay wrote at the same positions, and
  // only there: the segments of one replay each write their own iterations.
  const written = new Map<string, Set<number | null>>()

  for (const [, context, name] of journal.logs) {
    let positions = written.get(name)

    if (!positions) written.set(name, (positions = new Set()))

    positions.add(context === null ? null : (ids.get(context) ?? null))
  }

  for (const [name, positions] of written) await deleteReplayed(tx, runId, name, positions)

  const seq = await tx.get<{ next: number }>(
    'select coalesce(max(seq), -1) + 1 as next from logs where run_id = ?',
    [runId],
  )
  const first = seq!.next
  const from = replay.from ?? 'unversioned'

  const logRows = journal.logs.map(([, context, name, type, value], index) => [
    runId,
    first + index,
    context === null ? null : (ids.get(context) ?? null),
    name,
    type,
    storedValue(type as ValueType, value),
    from,
  ])

  await tx.insertMany(
    'insert into logs (run_id, seq, ctx_id, name, vtype, value, replayed_from) values (?, ?, ?, ?, ?, ?, ?)',
    logRows,
  )
  await writeReplayedColumns(tx, runId, addedLoops, [...written.keys()])

  return runId
}

async function deleteReplayed(
  tx: Transaction,
  runId: number,
  name: string,
  positions: ReadonlySet<number | null>,
): Promise<void> {
  const contexts = [...positions].filter((position) => position !== null)
  const base = 'delete from logs where run_id = ? and name = ? and replayed_from is not null'

  if (positions.has(null)) await tx.run(`${base} and ctx_id is null`, [runId, name])

  for (let at = 0; at < contexts.length; at += 500) {
    const chunk = contexts.slice(at, at + 500)

    await tx.run(`${base} and ctx_id in (${chunk.map(() => '?').join(', ')})`, [
      runId,
      name,
      ...chunk,
    ])
  }
}

async function addCheckpointsAndTimings(
  tx: Transaction,
  runId: number,
  journal: JournalContents,
): Promise<void> {
  await tx.insertMany(
    `insert into checkpoints (run_id, ctx_id, point, object, hash, size, location)
     values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing`,
    journal.checkpoints.map(([, context, point, object, hash, size, location]) => [
      runId,
      context,
      point,
      object,
      hash,
      size,
      location,
    ]),
  )
  await tx.insertMany(
    'insert into timings (run_id, kind, ctx_id, name, seconds) values (?, ?, ?, ?, ?)',
    journal.timings.map(([kind, context, name, seconds]) => [runId, kind, context, name, seconds]),
  )
}

const loopValue = (value: string | number | boolean | null): SqlValue =>
  typeof value === 'boolean' ? (value ? 1 : 0) : value

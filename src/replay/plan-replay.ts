import { existsSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'

import { FlorError } from '../errors.js'
import { decodeValue } from '../record/encode-value.js'
import type { Location } from '../record/location.js'
import { checkpointKey, type ReplayStrategy } from '../record/replay-settings.js'
import type { Backend } from '../store/backend.js'
import { readFilesAt } from '../versions/history.js'
import { findLogStatements, type LogStatement } from './discover.js'
import { mainLoopStart } from './main-loop.js'
import { propagate } from './propagate.js'
import {
  strategyRank,
  type PlannedStatement,
  type Refusal,
  type ReplayJob,
  type ReplayPlan,
  type ReplayRun,
} from './replay-plan.js'
import { compileWhere } from './where-clause.js'

export interface PlanOptions {
  /** A condition on run-level values, such as `lr > 0.01 and epochs = 10`. */
  where?: string
  /** Parallel workers the plan is cut for; the number of cores by default. */
  workers?: number
}

interface RunRow {
  run_id: number
  tstamp: string
  filename: string
  version: string | null
  argv: string
  runtime: string
}

/**
 * Plans a replay: finds the statements that log `names` in the current code,
 * the past runs that lack those names, puts the statements into each run's
 * version of the code, and cuts the work into jobs by where the statements sit.
 */
export async function planReplay(
  store: Backend,
  location: Location,
  names: readonly string[],
  options: PlanOptions = {},
): Promise<ReplayPlan> {
  const repo = location.repo
  const workers = Math.max(1, options.workers ?? availableParallelism())

  if (!repo) throw new FlorError('E_NOT_A_REPO', `${location.root} is not in a git repository: there are no versions to replay`)

  if (names.length === 0) throw new FlorError('E_USAGE', 'name at least one log to replay, e.g. flordb replay grad_norm')

  // Find: the statements in the current code of every recorded script, whichever runs --where
  // keeps, so that a condition no run meets is not taken for a missing statement.
  const runs = await candidateRuns(store, location, options.where)
  const files = await recordedScripts(store, location)
  const { statements, sources: current } = currentCode(repo.root, files, names)

  for (const name of files.length > 0 ? names : []) {
    if (!statements.some((statement) => statement.name === name)) {
      throw new FlorError(
        'E_REPLAY',
        `no flor.log('${name}', …) in the current code of ${files.join(', ') || 'any recorded script'}; add the statement first`,
      )
    }
  }

  const present = await namesPresent(store, runs.map((run) => run.run_id), names)
  const plan: ReplayPlan = {
    names: [...names],
    statements: [],
    jobs: [],
    refused: [],
    skipped: [],
    estimate: { seconds: 0, rerunSeconds: 0, workers },
  }
  const placed = new Map<string, PlannedStatement>()
  const sources = await oldSources(
    repo,
    runs.filter((run) => names.some((name) => !present.get(run.run_id)?.has(name))),
  )

  // Propagate and choose a strategy, run by run.
  for (const row of runs) {
    const missing = names.filter((name) => !present.get(row.run_id)?.has(name))
    const mine = statements.filter((s) => s.file === row.filename && missing.includes(s.name))

    if (missing.length === 0 || mine.length === 0) continue

    if (!row.version) {
      plan.skipped.push({ tstamp: row.tstamp, reason: 'the run has no code version to replay' })
      continue
    }

    const run = toReplayRun(row)
    const oldSource = sources.get(`${run.version}:${run.filename}`) ?? null

    if (oldSource === null) {
      plan.skipped.push({ tstamp: run.tstamp, reason: `${run.filename} is not in its version ${run.version.slice(0, 8)}` })
      continue
    }

    const put = putStatements(run, mine, current.get(run.filename)!, oldSource, plan.refused)

    if (put.names.length === 0) continue

    for (const statement of mine.filter((s) => put.names.includes(s.name))) {
      const key = `${statement.file}:${statement.line}`

      if (!placed.has(key)) {
        placed.set(key, { ...pick(statement), strategy: put.strategyOf.get(statement) ?? put.strategy })
      }
    }

    const jobs = await jobsFor(store, location, run, put, workers, runs.length)

    plan.jobs.push(...jobs.jobs)
    plan.estimate.rerunSeconds += jobs.rerunSeconds
  }

  plan.statements = [...placed.values()]
  plan.estimate.seconds = makespan(plan.jobs.map((job) => job.estimate), workers)

  return plan
}

async function candidateRuns(
  store: Backend,
  location: Location,
  where: string | undefined,
): Promise<RunRow[]> {
  const params: (string | number)[] = [location.projid]
  let condition = ''

  if (where) {
    const known = await store.all<{ name: string }>(
      'select distinct name from logs where ctx_id is null',
    )
    const clause = compileWhere(where, new Set(known.map((row) => row.name)))

    condition = ` and ${clause.sql}`
    params.push(...(clause.params as (string | number)[]))
  }

  return store.all<RunRow>(
    `select r.run_id, r.tstamp, r.filename, r.version, r.argv, r.runtime from runs r
     where r.projid = ? and r.status = 'committed'${condition}
     order by r.tstamp`,
    params,
  )
}

async function recordedScripts(store: Backend, location: Location): Promise<string[]> {
  const rows = await store.all<{ filename: string }>(
    `select distinct filename from runs where projid = ? and status = 'committed' order by filename`,
    [location.projid],
  )

  return rows.map((row) => row.filename)
}

function currentCode(
  root: string,
  files: readonly string[],
  names: readonly string[],
): { statements: LogStatement[]; sources: Map<string, string> } {
  const found: LogStatement[] = []
  const sources = new Map<string, string>()

  // TODO: statements in modules the entry script imports are not looked for
  // yet; a log added to a helper module cannot be replayed until they are.
  for (const file of files) {
    const path = join(root, file)

    if (!existsSync(path)) continue

    const source = readFileSync(path, 'utf8')
    const { statements } = findLogStatements(source, file)

    sources.set(file, source)
    found.push(...statements.filter((statement) => names.includes(statement.name)))
  }

  return { statements: found, sources }
}

async function namesPresent(
  store: Backend,
  runIds: readonly number[],
  names: readonly string[],
): Promise<Map<number, Set<string>>> {
  const present = new Map<number, Set<string>>()

  if (runIds.length === 0) return present

  const rows = await store.all<{ run_id: number; name: string }>(
    `select distinct run_id, name from logs where name in (${names.map(() => '?').join(', ')})`,
    [...names],
  )

  for (const row of rows) {
    let set = present.get(row.run_id)

    if (!set) present.set(row.run_id, (set = new Set()))

    set.add(row.name)
  }

  return present
}

async function oldSources(
  repo: NonNullable<Location['repo']>,
  runs: readonly RunRow[],
): Promise<Map<string, string | null>> {
  const wanted = [
    ...new Map(
      runs
        .filter((run) => run.version !== null)
        .map((run) => [`${run.version}:${run.filename}`, { commit: run.version!, path: run.filename }]),
    ).entries(),
  ]
  const files = await readFilesAt(repo, wanted.map(([, spec]) => spec))

  return new Map(wanted.map(([key], i) => [key, files[i]?.toString('utf8') ?? null]))
}

interface Put {
  names: string[]
  source: string
  strategy: ReplayStrategy
  strategyOf: Map<LogStatement, ReplayStrategy>
  loop: string | undefined
}

/** Propagates each statement into the old source in turn, and picks the strategy they need together. */
function putStatements(
  run: ReplayRun,
  statements: readonly LogStatement[],
  newSource: string,
  oldSource: string,
  refused: Refusal[],
): Put {
  const put: Put = { names: [], source: oldSource, strategy: 'prefix', strategyOf: new Map(), loop: undefined }

  for (const statement of statements) {
    const existing = findLogStatements(put.source, run.filename).statements.find(
      (s) => s.name === statement.name,
    )
    let line = existing?.line

    if (!existing) {
      const result = propagate({
        newSource,
        oldSource: put.source,
        statement,
        file: run.filename,
      })

      if (!result.ok) {
        refused.push({ tstamp: run.tstamp, version: run.version, file: run.filename, name: statement.name, reason: result.reason })
        continue
      }

      put.source = result.source
      line = result.line
    }

    const strategy = strategyFor(statement, put.source, line!, run.filename)

    put.strategyOf.set(statement, strategy)
    if (!put.names.includes(statement.name)) put.names.push(statement.name)
    if (strategyRank[strategy] > strategyRank[put.strategy]) put.strategy = strategy
    put.loop ??= statement.loops[0]
  }

  return put
}

function strategyFor(statement: LogStatement, source: string, line: number, file: string): ReplayStrategy {
  // A statement in a function may be called from any loop: only re-running is sure.
  if (statement.insideFunction) return 'nested'

  if (statement.loops.length === 1) return 'outer'

  if (statement.loops.length > 1) return 'nested'

  const loopStart = mainLoopStart(source, file)

  if (loopStart === undefined) return 'prefix'

  return offsetOfLine(source, line) < loopStart ? 'prefix' : 'suffix'
}

function offsetOfLine(source: string, line: number): number {
  let offset = 0

  for (let current = 1; current < line; current++) offset = source.indexOf('\n', offset) + 1

  return offset
}

interface RunTimings {
  prefix: number
  suffix: number
  /** Seconds of each top-level iteration, by its 1-based number. */
  iterations: Map<number, number>
  /** Seconds of the loops nested in each top-level iteration. */
  nested: Map<number, number>
  loop: string | undefined
  /** Top-level iterations whose end state was saved. */
  saved: Set<number>
  checkpoints: Record<string, Record<string, string>>
  checkpointSeconds: number
}

async function timingsOf(store: Backend, location: Location, runId: number): Promise<RunTimings> {
  const timings: RunTimings = {
    prefix: 0,
    suffix: 0,
    iterations: new Map(),
    nested: new Map(),
    loop: undefined,
    saved: new Set(),
    checkpoints: {},
    checkpointSeconds: 0,
  }
  const rows = await store.all<{ kind: string; seconds: number; iteration: number | null; loop: string | null; parent_iteration: number | null }>(
    `select t.kind, t.seconds, l.iteration, l.name as loop, p.iteration as parent_iteration
     from timings t
     left join loops l on l.run_id = t.run_id and l.ctx_id = t.ctx_id
     left join loops p on p.run_id = t.run_id and p.ctx_id = l.parent_ctx_id
     where t.run_id = ?`,
    [runId],
  )

  for (const row of rows) {
    if (row.kind === 'prefix') timings.prefix += row.seconds
    else if (row.kind === 'suffix') timings.suffix += row.seconds
    else if (row.kind === 'iteration' && row.iteration !== null && row.parent_iteration === null) {
      timings.iterations.set(row.iteration, row.seconds)
      timings.loop ??= row.loop ?? undefined
    } else if (row.kind === 'loop' && row.iteration !== null && row.parent_iteration === null) {
      timings.nested.set(row.iteration, (timings.nested.get(row.iteration) ?? 0) + row.seconds)
    } else if (row.kind === 'checkpoint') timings.checkpointSeconds += row.seconds
  }

  const saved = await store.all<{ iteration: number; loop: string; point: string; object: string; location: string }>(
    `select l.iteration, l.name as loop, c.point, c.object, c.location
     from checkpoints c join loops l on l.run_id = c.run_id and l.ctx_id = c.ctx_id
     where c.run_id = ? and l.parent_ctx_id is null`,
    [runId],
  )

  for (const row of saved) {
    const key = checkpointKey(row.loop, row.iteration, row.point)

    timings.checkpoints[key] ??= {}
    timings.checkpoints[key][row.object] = join(location.dir, row.location)

    if (row.point === 'end' && row.loop === timings.loop) timings.saved.add(row.iteration)
  }

  return timings
}

async function jobsFor(
  store: Backend,
  location: Location,
  run: ReplayRun,
  put: Put,
  workers: number,
  runCount: number,
): Promise<{ jobs: ReplayJob[]; rerunSeconds: number }> {
  const timings = await timingsOf(store, location, run.runId)
  const args = await runLevelValues(store, run.runId)
  const iterationSeconds = [...timings.iterations.values()].reduce((sum, s) => sum + s, 0)
  const rerunSeconds = timings.prefix + iterationSeconds + timings.suffix
  const loop = timings.loop ?? put.loop
  const count = timings.iterations.size
  const base = {
    run,
    names: put.names,
    loop,
    keepPrefix: true,
    files: [{ path: run.filename, source: put.source }],
    checkpoints: timings.checkpoints,
    args,
  }
  const job = (suffix: string, fields: Partial<ReplayJob> & Pick<ReplayJob, 'strategy' | 'estimate'>): ReplayJob => ({
    id: `${run.tstamp}${suffix}`,
    ...base,
    ...fields,
  })

  switch (put.strategy) {
    case 'prefix':
      return { jobs: [job('', { strategy: 'prefix', estimate: timings.prefix })], rerunSeconds }
    case 'suffix':
      if (loop && timings.saved.has(count)) {
        return {
          jobs: [job('', { strategy: 'suffix', restoreFrom: count, estimate: timings.prefix + timings.suffix })],
          rerunSeconds,
        }
      }

      return { jobs: [job('', { strategy: 'outer', estimate: rerunSeconds })], rerunSeconds }
    case 'outer': {
      let replacedSeconds = 0

      for (const [iteration, seconds] of timings.nested) {
        if (Object.keys(timings.checkpoints).some((key) => key.startsWith(`${loop}#${iteration}:loop:`))) {
          replacedSeconds += seconds
        }
      }

      return {
        jobs: [job('', { strategy: 'outer', estimate: rerunSeconds - replacedSeconds })],
        rerunSeconds,
      }
    }
    case 'nested':
      return { jobs: segments(job, timings, Math.max(1, Math.round(workers / runCount))), rerunSeconds }
  }
}

/**
 * Cuts the main loop's iterations into up to `parts` segments of about equal
 * time. A segment may only start after a saved iteration, so that it can
 * begin from that state instead of from scratch.
 */
function segments(
  job: (suffix: string, fields: Partial<ReplayJob> & Pick<ReplayJob, 'strategy' | 'estimate'>) => ReplayJob,
  timings: RunTimings,
  parts: number,
): ReplayJob[] {
  const count = timings.iterations.size
  const seconds = (i: number) => timings.iterations.get(i) ?? 0

  if (count === 0 || !timings.loop) {
    return [job('', { strategy: 'nested', estimate: timings.prefix + timings.suffix, iterations: [], restoreFrom: 0 })]
  }

  // Every segment but the first starts a fresh process, which runs its first
  // iteration as slowly as the run's own first one ran (the JIT is cold again).
  const all = [...timings.iterations.values()]
  const total = all.reduce((sum, s) => sum + s, 0)
  const warmUp = Math.max(0, seconds(1) - median(all))
  const target = (total + (parts - 1) * warmUp) / parts
  const cuts: number[] = [0]
  let accumulated = 0

  for (let i = 1; i < count; i++) {
    const next = seconds(i)

    // Cut where the segment comes nearest its share, before or after this iteration.
    if (accumulated + next / 2 >= target && cuts.length < parts && timings.saved.has(i - 1) && i > 1) {
      cuts.push(i - 1)
      accumulated = warmUp
    }

    accumulated += next
  }

  cuts.push(count)

  const jobs: ReplayJob[] = []

  for (let k = 0; k + 1 < cuts.length; k++) {
    const from = cuts[k]!
    const to = cuts[k + 1]!
    const iterations = Array.from({ length: to - from }, (_, i) => from + i + 1)
    let estimate = timings.prefix + (k > 0 ? warmUp : 0)

    for (const i of iterations) estimate += seconds(i)

    if (k + 1 === cuts.length - 1) estimate += timings.suffix

    jobs.push(
      job(cuts.length > 2 ? `#${k + 1}` : '', {
        strategy: 'nested',
        iterations,
        restoreFrom: from,
        keepPrefix: k === 0,
        estimate,
      }),
    )
  }

  return jobs
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)

  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

async function runLevelValues(store: Backend, runId: number): Promise<Record<string, unknown>> {
  const rows = await store.all<{ name: string; vtype: string; value: unknown }>(
    'select name, vtype, value from logs where run_id = ? and ctx_id is null order by seq',
    [runId],
  )
  const values: Record<string, unknown> = {}

  for (const row of rows) if (!(row.name in values)) values[row.name] = decodeValue(row.vtype, row.value)

  return values
}

function toReplayRun(row: RunRow): ReplayRun {
  return {
    runId: row.run_id,
    tstamp: row.tstamp,
    filename: row.filename,
    version: row.version!,
    argv: JSON.parse(row.argv) as string[],
    runtime: JSON.parse(row.runtime) as ReplayRun['runtime'],
  }
}

const pick = (statement: LogStatement) => ({
  name: statement.name,
  file: statement.file,
  line: statement.line,
  text: statement.text,
  loops: statement.loops,
})

/** The time a pool of workers needs, longest jobs first. */
function makespan(estimates: readonly number[], workers: number): number {
  const loads = new Array<number>(workers).fill(0)

  for (const estimate of [...estimates].sort((a, b) => b - a)) {
    const least = loads.indexOf(Math.min(...loads))

    loads[least]! += estimate
  }

  return Math.max(0, ...loads)
}

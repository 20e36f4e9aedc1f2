import { FlorError } from '../errors.js'
import { decodeValue } from '../record/encode-value.js'
import type { Location } from '../record/location.js'
import type { Backend } from '../store/backend.js'
import { diffVersions } from '../versions/history.js'

export interface RunDiff {
  from: { tstamp: string; filename: string; version: string | null }
  to: { tstamp: string; filename: string; version: string | null }
  /** Run-level values (args among them) that differ, by name. */
  args: { name: string; from: unknown; to: unknown }[]
  /** Unified diff of the code between the two runs' versions. */
  code: string
}

interface RunRow {
  run_id: number
  tstamp: string
  filename: string
  version: string | null
}

/** What changed between two runs: their run-level values and their code. */
export async function diffRuns(store: Backend, location: Location, a: string, b: string): Promise<RunDiff> {
  const from = await findRun(store, location, a)
  const to = await findRun(store, location, b)
  const values = async (runId: number) => {
    const rows = await store.all<{ name: string; vtype: string; value: unknown }>(
      'select name, vtype, value from logs where run_id = ? and ctx_id is null order by seq',
      [runId],
    )
    const map = new Map<string, unknown>()

    for (const row of rows) if (!map.has(row.name)) map.set(row.name, decodeValue(row.vtype, row.value))

    return map
  }
  const before = await values(from.run_id)
  const after = await values(to.run_id)
  const args: RunDiff['args'] = []

  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const x = before.get(name)
    const y = after.get(name)

    if (JSON.stringify(x, bigints) !== JSON.stringify(y, bigints)) args.push({ name, from: x ?? null, to: y ?? null })
  }

  const code =
    location.repo && from.version && to.version && from.version !== to.version
      ? await diffVersions(location.repo, from.version, to.version)
      : ''
  const describe = (row: RunRow) => ({ tstamp: row.tstamp, filename: row.filename, version: row.version })

  return { from: describe(from), to: describe(to), args, code }
}

const bigints = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)

/**
 * A run named as the dataframe prints its tstamp (`2026-12-03 16:44:14.186 UTC`,
 * with or without the zone), as CSV writes it (`…14.186+0000`), as stored
 * (`2026-12-03T16:44:14.186Z`), or by any unambiguous prefix.
 */
async function findRun(store: Backend, location: Location, name: string): Promise<RunRow> {
  const prefix = name
    .trim()
    .replace(' ', 'T')
    .replace(/(?:\s*UTC|Z|[+-]00:?00)$/i, '')
  const rows = await store.all<RunRow>(
    `select run_id, tstamp, filename, version from runs
     where projid = ? and substr(tstamp, 1, ?) = ? order by tstamp limit 6`,
    [location.projid, prefix.length, prefix],
  )

  if (rows.length === 1) return rows[0]!

  if (rows.length === 0) throw new FlorError('E_NO_SUCH_RUN', `no run has the tstamp ${name}`)

  throw new FlorError(
    'E_NO_SUCH_RUN',
    `${name} names several runs (${rows.slice(0, 5).map((row) => row.tstamp).join(', ')}${rows.length > 5 ? ', …' : ''}); give more of the tstamp`,
  )
}

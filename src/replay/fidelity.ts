import type { JournalContents } from '../journal/read-journal.js'
import { decodeValue, storedValue, type ValueType } from '../record/encode-value.js'
import type { Backend } from '../store/backend.js'

export interface Divergence {
  /** Where it first differed, as loop positions: `epoch 2 / step 5`. */
  position: string
  name: string
  recorded: unknown
  replayed: unknown
}

export interface Fidelity {
  /** Values the replay recomputed that the run had recorded. */
  compared: number
  diverged: number
  first: Divergence | undefined
}

/**
 * Compares what a replay recomputed with what the run recorded at the same
 * loop positions. A difference means the replay did not see what the run saw:
 * unseeded randomness, or state outside the checkpointed objects.
 */
export async function checkFidelity(
  store: Backend,
  runId: number,
  journal: JournalContents,
): Promise<Fidelity> {
  const fidelity: Fidelity = { compared: 0, diverged: 0, first: undefined }

  if (journal.shadows.length === 0) return fidelity

  const names = [...new Set(journal.shadows.map((shadow) => shadow[2]))]
  const recorded = await recordedValues(store, runId, names)
  const replayedPaths = pathsOf(journal.contexts.map(([, id, parent, name, iteration]) => ({ id, parent, name, iteration })))
  const occurrences = new Map<string, number>()

  for (const [, context, name, type, value] of journal.shadows) {
    const path = context === null ? '' : (replayedPaths.get(context) ?? '?')
    const slot = `${path}|${name}`
    const occurrence = occurrences.get(slot) ?? 0

    occurrences.set(slot, occurrence + 1)

    const original = recorded.get(`${slot}|${occurrence}`)

    if (original === undefined) continue

    const replayed = decodeValue(type, storedValue(type as ValueType, value))

    fidelity.compared++

    if (same(original, replayed)) continue

    fidelity.diverged++
    fidelity.first ??= { position: path.replaceAll('/', ' / ').replaceAll(':', ' ') || 'run level', name, recorded: original, replayed }
  }

  return fidelity
}

async function recordedValues(store: Backend, runId: number, names: readonly string[]): Promise<Map<string, unknown>> {
  const contexts = await store.all<{ ctx_id: number; parent_ctx_id: number | null; name: string; iteration: number }>(
    'select ctx_id, parent_ctx_id, name, iteration from loops where run_id = ?',
    [runId],
  )
  const paths = pathsOf(contexts.map((row) => ({ id: row.ctx_id, parent: row.parent_ctx_id, name: row.name, iteration: row.iteration })))
  const logs = await store.all<{ ctx_id: number | null; name: string; vtype: string; value: unknown }>(
    `select ctx_id, name, vtype, value from logs
     where run_id = ? and replayed_from is null and name in (${names.map(() => '?').join(', ')})
     order by seq`,
    [runId, ...names],
  )
  const values = new Map<string, unknown>()
  const occurrences = new Map<string, number>()

  for (const log of logs) {
    const slot = `${log.ctx_id === null ? '' : (paths.get(log.ctx_id) ?? '?')}|${log.name}`
    const occurrence = occurrences.get(slot) ?? 0

    occurrences.set(slot, occurrence + 1)
    values.set(`${slot}|${occurrence}`, decodeValue(log.vtype, log.value))
  }

  return values
}

/** Each context's position from the top: `epoch:2/step:5`, the same in the run and its replay. */
function pathsOf(
  contexts: readonly { id: number; parent: number | null; name: string; iteration: number }[],
): Map<number, string> {
  const byId = new Map(contexts.map((context) => [context.id, context]))
  const paths = new Map<number, string>()

  const pathOf = (id: number): string => {
    const known = paths.get(id)

    if (known !== undefined) return known

    const context = byId.get(id)

    if (!context) return '?'

    const own = `${context.name}:${context.iteration}`
    const path = context.parent === null ? own : `${pathOf(context.parent)}/${own}`

    paths.set(id, path)

    return path
  }

  for (const context of contexts) pathOf(context.id)

  return paths
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) && Number.isNaN(b)) return true

    return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))
  }

  return JSON.stringify(a, bigintSafe) === JSON.stringify(b, bigintSafe)
}

const bigintSafe = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)

import { performance } from 'node:perf_hooks'

import { contextStorage, type LoopContext } from './loop-context.js'
import { captureState, restoreState } from './object-state.js'
import { loadObject } from './object-store.js'
import type { Run } from './run.js'
import { warnOnce } from './warn.js'

export interface CheckpointingOptions {
  /**
   * The share of compute time checkpoints may add. Checkpoints are taken only
   * as often as keeps within it, and always at the last iteration.
   */
  epsilon?: number
}

/** The objects under `checkpointing`, and the cost accounting of their checkpoints. */
export interface CheckpointScope {
  readonly objects: Readonly<Record<string, object>>
  /** Depth of the loops whose iterations end in a checkpoint: the outermost ones in scope. */
  readonly depth: number
  readonly epsilon: number
  computeMs: number
  spentMs: number
  lastCostMs: number | undefined
}

const defaultEpsilon = 1 / 15
const scopes: CheckpointScope[] = []

export const activeScope = (): CheckpointScope | undefined => scopes[scopes.length - 1]

/**
 * Marks the objects whose state flordb saves at loop iteration boundaries and
 * restores on replay. With a body, the scope ends with it; without one, the
 * returned handle ends it, so it works with `using`.
 *
 * ```ts
 * flor.checkpointing({ model, optimizer }, () => {
 *   for (const epoch of flor.loop('epoch', range(10))) train(epoch)
 * })
 * ```
 */
export function checkpointing<T>(
  objects: Record<string, object>,
  body: () => T,
  options?: CheckpointingOptions,
): T
export function checkpointing(
  objects: Record<string, object>,
  options?: CheckpointingOptions,
): Disposable
export function checkpointing<T>(
  objects: Record<string, object>,
  bodyOrOptions?: (() => T) | CheckpointingOptions,
  maybeOptions?: CheckpointingOptions,
): T | Disposable {
  const options = typeof bodyOrOptions === 'function' ? maybeOptions : bodyOrOptions
  const scope = openScope(objects, options)
  const close = () => {
    const index = scopes.lastIndexOf(scope)

    if (index >= 0) scopes.splice(index, 1)
  }

  if (typeof bodyOrOptions !== 'function') return { [Symbol.dispose]: close }

  let result: T

  try {
    result = bodyOrOptions()
  } catch (error) {
    close()
    throw error
  }

  if (result instanceof Promise) return result.finally(close) as T

  close()

  return result
}

function openScope(
  objects: Record<string, object>,
  options: CheckpointingOptions = {},
): CheckpointScope {
  const kept: Record<string, object> = {}

  for (const [name, object] of Object.entries(objects)) {
    if (object !== null && typeof object === 'object') kept[name] = object
    else warnOnce(`checkpoint:${name}`, `flordb: "${name}" is not an object, so it cannot be checkpointed and restored in place`)
  }

  const epsilon = options.epsilon ?? (Number(process.env.FLORDB_EPSILON) || defaultEpsilon)
  const scope: CheckpointScope = {
    objects: kept,
    depth: currentDepth() + 1,
    epsilon,
    computeMs: 0,
    spentMs: 0,
    lastCostMs: undefined,
  }

  scopes.push(scope)

  return scope
}

const currentDepth = (): number => contextStorage.getStore()?.depth ?? -1

/**
 * Whether a checkpoint is worth taking now: the first one always (to learn
 * its cost), then only while checkpoints stay within epsilon of compute time,
 * keeping back the cost of one more for the last iteration, which is always saved.
 */
export function shouldCheckpoint(scope: CheckpointScope, force: boolean): boolean {
  if (force || scope.lastCostMs === undefined) return true

  // Only the time the loop was blocked is measured; what a checkpoint costs it
  // later (collecting the serialized copy, the writer thread's memory traffic)
  // is not, so the budget aims at four fifths of epsilon.
  return scope.spentMs + 2 * scope.lastCostMs <= 0.8 * scope.epsilon * scope.computeMs
}

/** Saves every object in scope as the state at `point` of the context. */
export function takeCheckpoint(run: Run, scope: CheckpointScope, context: LoopContext, point: string): void {
  // A replay restores from the run's checkpoints; it has no use for new ones.
  if (run.replaying) return

  const started = performance.now()

  for (const [name, object] of Object.entries(scope.objects)) {
    try {
      run.objects.save(
        captureState(object),
        (saved) => run.checkpoint(context, point, name, saved),
        (message) => warnOnce(`checkpoint-failed:${name}`, `flordb: could not checkpoint "${name}": ${message}`),
      )
    } catch (error) {
      warnOnce(`checkpoint-failed:${name}`, `flordb: could not checkpoint "${name}": ${(error as Error).message}`)
    }
  }

  const cost = performance.now() - started

  scope.lastCostMs = cost
  scope.spentMs += cost
  run.timing('checkpoint', context, point, cost)
}

/** Restores every object in scope from the files a replay plan names. */
export function restoreCheckpoint(scope: CheckpointScope, files: Readonly<Record<string, string>>): void {
  for (const [name, object] of Object.entries(scope.objects)) {
    const file = files[name]

    if (file === undefined) throw new Error(`no saved state of "${name}" to restore`)

    restoreState(object, loadObject(file))
  }
}

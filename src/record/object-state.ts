import { createRequire } from 'node:module'
import { join } from 'node:path'

/** An object that saves and restores its own state, as PyTorch modules do. */
export interface Checkpointable {
  stateDict(): unknown
  loadStateDict(state: unknown): void
}

interface TensorLike {
  readonly shape: number[]
  readonly dtype: string
  dataSync(): ArrayLike<number>
}

/** A TensorFlow.js model (LayersModel), recognised by shape so the core needs no tfjs. */
interface ModelLike {
  getWeights(): TensorLike[]
  setWeights(weights: unknown[]): void
}

interface SavedTensor {
  shape: number[]
  dtype: string
  values: ArrayLike<number>
}

const isCheckpointable = (object: object): object is Checkpointable =>
  typeof (object as Checkpointable).stateDict === 'function' &&
  typeof (object as Checkpointable).loadStateDict === 'function'

const isModel = (object: object): object is ModelLike =>
  typeof (object as ModelLike).getWeights === 'function' &&
  typeof (object as ModelLike).setWeights === 'function'

/** A copy of the object's state, taken now, that structured clone can serialize. */
export function captureState(object: object): unknown {
  if (isCheckpointable(object)) return { kind: 'protocol', state: object.stateDict() }

  if (isModel(object)) {
    const weights = object.getWeights().map(
      (tensor): SavedTensor => ({ shape: tensor.shape, dtype: tensor.dtype, values: tensor.dataSync() }),
    )

    return { kind: 'tfjs', weights }
  }

  return { kind: 'data', state: object }
}

/** Puts a saved state back into the very object the user holds. */
export function restoreState(object: object, saved: unknown): void {
  const { kind, state, weights } = saved as { kind: string; state: unknown; weights: SavedTensor[] }

  if (kind === 'protocol') return (object as Checkpointable).loadStateDict(state)

  if (kind === 'tfjs') return restoreModel(object as ModelLike, weights)

  restoreData(object, state)
}

/**
 * Restores a container in place, and the containers inside it wherever the
 * saved state has one of the same kind: references the user holds to nested
 * objects stay valid, and objects keep their shape (deleting and re-adding
 * fields would make V8 slow every later access to them).
 */
function restoreData(target: object, state: unknown): void {
  if (Array.isArray(target)) {
    const saved = state as unknown[]

    for (let i = 0; i < saved.length; i++) target[i] = merged(target[i], saved[i])

    target.length = saved.length
  } else if (target instanceof Map) {
    const saved = state as Map<unknown, unknown>

    for (const key of [...target.keys()]) if (!saved.has(key)) target.delete(key)
    for (const [key, value] of saved) target.set(key, merged(target.get(key), value))
  } else if (target instanceof Set) {
    target.clear()
    for (const value of state as Set<unknown>) target.add(value)
  } else if (ArrayBuffer.isView(target)) {
    const view = target as unknown as { length: number; set(source: ArrayLike<number>): void }
    const saved = state as ArrayLike<number>

    if (view.length !== saved.length) {
      throw new Error(`cannot restore ${saved.length} values into a typed array of ${view.length}`)
    }

    view.set(saved)
  } else {
    const fields = target as Record<string, unknown>
    const saved = state as Record<string, unknown>

    // The prototype, and so the object's class, stays.
    for (const key of Object.keys(fields)) if (!(key in saved)) delete fields[key]
    for (const key of Object.keys(saved)) fields[key] = merged(fields[key], saved[key])
  }
}

/** The value a field gets back: the same object restored, when the kinds match, else the saved one. */
function merged(current: unknown, saved: unknown): unknown {
  if (sameKind(current, saved)) {
    restoreData(current as object, saved)

    return current
  }

  return saved
}

function sameKind(current: unknown, saved: unknown): boolean {
  if (typeof current !== 'object' || current === null || typeof saved !== 'object' || saved === null) {
    return false
  }

  if (Array.isArray(current)) return Array.isArray(saved)
  if (current instanceof Map) return saved instanceof Map
  if (current instanceof Set) return saved instanceof Set

  if (ArrayBuffer.isView(current)) {
    return (
      ArrayBuffer.isView(saved) &&
      current.constructor === saved.constructor &&
      (current as unknown as ArrayLike<number>).length === (saved as unknown as ArrayLike<number>).length
    )
  }

  // Plain objects and class instances; a Date, RegExp or the like is replaced whole.
  const prototype = Object.getPrototypeOf(saved)

  return (
    (prototype === Object.prototype || prototype === null) &&
    !(current instanceof Date) &&
    !(current instanceof RegExp) &&
    !ArrayBuffer.isView(saved) &&
    !Array.isArray(saved)
  )
}

function restoreModel(model: ModelLike, weights: SavedTensor[]): void {
  const tf = loadTensorflow()
  const tensors = weights.map((weight) => tf.tensor(weight.values, weight.shape, weight.dtype))

  model.setWeights(tensors)
  for (const tensor of tensors) (tensor as { dispose?(): void }).dispose?.()
}

interface TensorflowLike {
  tensor(values: ArrayLike<number>, shape: number[], dtype: string): unknown
}

// The user's project has tfjs if it checkpoints a tfjs model; it is looked up
// from their working directory, so flordb itself does not depend on it.
function loadTensorflow(): TensorflowLike {
  const require = createRequire(join(process.cwd(), 'noop.js'))

  for (const name of ['@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-core']) {
    try {
      return require(name) as TensorflowLike
    } catch {
      continue
    }
  }

  throw new Error('restoring a TensorFlow.js model needs @tensorflow/tfjs installed in the project')
}

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

function restoreData(target: object, state: unknown): void {
  if (Array.isArray(target)) {
    target.length = 0
    for (const item of state as unknown[]) target.push(item)
  } else if (target instanceof Map) {
    target.clear()
    for (const [key, value] of state as Map<unknown, unknown>) target.set(key, value)
  } else if (target instanceof Set) {
    target.clear()
    for (const value of state as Set<unknown>) target.add(value)
  } else if (ArrayBuffer.isView(target)) {
    ;(target as unknown as { set(source: ArrayLike<number>): void }).set(state as ArrayLike<number>)
  } else {
    // Own fields are replaced; the prototype, and so the object's class, stays.
    for (const key of Object.keys(target)) delete (target as Record<string, unknown>)[key]
    Object.assign(target, state)
  }
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

import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { FEATURE_NAMES } from './features.js'

// Pure-JS TensorFlow greets every Node process with advice to install the
// native backend; production mode keeps the pipeline's output readable.
tf.enableProdMode()

export { tf }

/** What a saved model file holds: enough to rebuild the network without the code that trained it. */
export interface SavedModel {
  readonly features: readonly string[]
  readonly hidden: number
  readonly weights: readonly { readonly shape: number[]; readonly values: number[] }[]
}

/** A one-hidden-layer network over the page features; seeded, so the same run gives the same model. */
export const createModel = (hidden: number, seed: number): tf.Sequential =>
  tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [FEATURE_NAMES.length],
        units: hidden,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
      }),
      tf.layers.dense({
        units: 1,
        activation: 'sigmoid',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
      }),
    ],
  })

/**
 * Writes the model's weights under `dir`, named by their hash, and returns
 * the file name: identical weights are stored once.
 */
export const saveModel = (model: tf.LayersModel, hidden: number, dir: string): string => {
  const saved: SavedModel = {
    features: FEATURE_NAMES,
    hidden,
    weights: model.getWeights().map((w) => ({ shape: w.shape, values: [...w.dataSync()] })),
  }
  const json = JSON.stringify(saved)
  const name = `${createHash('sha256').update(json).digest('hex').slice(0, 20)}.json`

  mkdirSync(dir, { recursive: true })
  if (!existsSync(join(dir, name))) writeFileSync(join(dir, name), json)

  return name
}

/**
 * Rebuilds a saved model, or says why it cannot: a model trained on other
 * features than the current code computes would read the wrong inputs.
 */
export const loadModel = (path: string): tf.Sequential | string => {
  if (!existsSync(path)) return `${path} is missing`

  const saved = JSON.parse(readFileSync(path, 'utf8')) as SavedModel

  if (saved.features.join() !== FEATURE_NAMES.join()) {
    return `${path} was trained on other features (${saved.features.join(', ')})`
  }

  const model = createModel(saved.hidden, 0)

  model.setWeights(saved.weights.map((w) => tf.tensor(w.values, w.shape)))

  return model
}

/** The model's probability that each row of features is a document's first page. */
export const predict = (model: tf.LayersModel, rows: readonly (readonly number[])[]): number[] => {
  if (rows.length === 0) return []

  return tf.tidy(() => {
    const output = model.predict(
      tf.tensor2d(rows as number[][], [rows.length, FEATURE_NAMES.length]),
    )

    return [...(output as tf.Tensor).dataSync()]
  })
}

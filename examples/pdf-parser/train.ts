/**
 * Trains the first-page classifier on the labels and feedback stored in
 * flordb, and logs `loss`, `acc` and `recall` per epoch with a saved model:
 * flordb as training data store and model registry.
 *
 *   tsx train.ts --kwargs pdfs=samples out=build epochs=60 lr=0.03
 *
 * A PDF's first page always starts a document, so it teaches nothing and is
 * left out. A quarter of the labelled pages (chosen by a hash of their name,
 * so the same pages every run) is held out for `acc` and `recall`.
 */
import { createHash } from 'node:crypto'
import * as flor from 'flordb'
import { createModel, predict, saveModel, tf } from './lib/model.js'
import { Random } from './lib/random.js'
import { loadFeatures, loadLabels, type LabelSource } from './lib/training-data.js'
import { createWorkspace, modelsDir } from './lib/workspace.js'

interface Example {
  readonly doc: string
  readonly page: number
  readonly x: number[]
  readonly y: number
  readonly source: LabelSource
}

const ws = createWorkspace(flor.arg('pdfs', 'samples'), flor.arg('out', 'build'))
const epochs = flor.arg('epochs', 60)
const lr = flor.arg('lr', 0.03)
const hidden = flor.arg('hidden', 8)
const batchSize = flor.arg('batch_size', 8)
const seed = flor.arg('seed', 7)

await tf.setBackend('cpu')

const labels = await loadLabels()
const features = await loadFeatures()
const examples: Example[] = []

// The training data, logged as it is used: which label each page got, and from where.
for (const doc of flor.loop('document', [...labels.keys()].sort())) {
  const { source, firstPages } = labels.get(doc) ?? { source: 'labels', firstPages: new Map() }
  const pages = [...firstPages.keys()].filter((page) => page > 1 && features.get(doc)?.has(page))

  for (const page of flor.loop(
    'page',
    pages.sort((a, b) => a - b),
  )) {
    const y = flor.log('label', firstPages.get(page) ?? 0)

    flor.log('label_src', source)
    examples.push({ doc, page, x: features.get(doc)?.get(page) ?? [], y, source })
  }
}

if (examples.length === 0) {
  console.error(
    'train: no labelled pages yet. Label PDFs in <pdfs>/labels.json and run "make label",\n' +
      'or open the app ("make run"), correct a PDF, press Save, then run "make train" again.',
  )
  process.exitCode = 1
} else {
  const { train, held } = holdOut(examples)
  const positives = train.filter((e) => e.y === 1).length
  const model = createModel(hidden, seed)
  const x = tf.tensor2d(train.map((e) => e.x))
  const y = tf.tensor2d(train.map((e) => [e.y]))
  // Most pages continue a document; weighting the rare first pages keeps recall up.
  const classWeight = { 0: 1, 1: Math.max(1, (train.length - positives) / Math.max(1, positives)) }

  flor.log('train_pages', train.length)
  flor.log('held_out_pages', held.length)
  model.compile({ optimizer: tf.train.adam(lr), loss: 'binaryCrossentropy' })

  await flor.checkpointing({ model }, async () => {
    for (const epoch of flor.loop('epoch', range(epochs))) {
      const history = await model.fit(x, y, {
        epochs: 1,
        batchSize,
        shuffle: false,
        classWeight,
        verbose: 0,
      })
      const scores = evaluate(model, held)

      flor.log('loss', Number(history.history.loss?.[0]))
      flor.log('acc', scores.acc)
      flor.log('recall', scores.recall)
      flor.log('weights', saveModel(model, hidden, modelsDir(ws)))

      if (epoch === epochs - 1) {
        console.log(
          `trained on ${train.length} pages, held out ${held.length}: ` +
            `acc ${scores.acc.toFixed(3)}, recall ${scores.recall.toFixed(3)}`,
        )
      }
    }
  })
}

/** Splits each class by a stable hash, so both halves hold first pages and the split never moves. */
function holdOut(all: readonly Example[]): { train: Example[]; held: Example[] } {
  const rank = (e: Example): string =>
    createHash('sha256').update(`${e.doc}\u0000${e.page}`).digest('hex')
  const train: Example[] = []
  const held: Example[] = []

  for (const label of [0, 1]) {
    const group = all.filter((e) => e.y === label).sort((a, b) => rank(a).localeCompare(rank(b)))

    // A class too small to split is trained on and also scored on.
    if (group.length < 2) {
      train.push(...group)
      held.push(...group)
      continue
    }

    group.forEach((e, i) => (i % 4 === 0 ? held : train).push(e))
  }

  // Batches in a seeded order, not document by document.
  return { train: new Random(seed).shuffle(train), held }
}

function evaluate(
  model: tf.LayersModel,
  held: readonly Example[],
): { acc: number; recall: number } {
  const p = predict(
    model,
    held.map((e) => e.x),
  )
  const predicted = p.map((v) => (v >= 0.5 ? 1 : 0))
  const correct = predicted.filter((v, i) => v === held[i]?.y).length
  const positives = held.filter((e) => e.y === 1).length
  const found = predicted.filter((v, i) => v === 1 && held[i]?.y === 1).length

  return {
    acc: held.length ? correct / held.length : 0,
    recall: positives ? found / positives : 0,
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i)
}

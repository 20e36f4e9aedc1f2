/**
 * Predicts, for every page, whether a new document starts there, and logs it
 * as `first_page` (with the model's probability as `first_page_p`). The model
 * is the one with the best held-out recall among those `train.ts` logged,
 * found through `flor.dataframe('acc', 'recall', …)`: flordb as model
 * registry. Before any model exists, a rule over the same features decides.
 *
 *   tsx infer.ts --kwargs pdfs=samples out=build threshold=0.5
 */
import * as flor from 'flordb'
import { FEATURE_NAMES, type FeatureName } from './lib/features.js'
import { loadModel, predict, tf } from './lib/model.js'
import { rankModels } from './lib/registry.js'
import { ruleFirstPage } from './lib/segmentation.js'
import { loadFeatures } from './lib/training-data.js'
import { createWorkspace, listPdfs, modelsDir } from './lib/workspace.js'

const ws = createWorkspace(flor.arg('pdfs', 'samples'), flor.arg('out', 'build'))
const threshold = flor.arg('threshold', 0.5)

await tf.setBackend('cpu')

const features = await loadFeatures()
let model: tf.LayersModel | undefined

for (const candidate of await rankModels(modelsDir(ws))) {
  const loaded = loadModel(candidate.file)

  if (typeof loaded === 'string') {
    console.warn(`infer: skipping a model: ${loaded}`)
    continue
  }

  model = loaded
  flor.log('model', candidate.file.slice(ws.out.length + 1))
  flor.log('model_recall', candidate.recall)
  flor.log('model_acc', candidate.acc)
  flor.log('model_tstamp', candidate.tstamp.toISOString())
  flor.log('model_epoch', candidate.epoch)
  console.log(
    `infer: model from the train run of ${candidate.tstamp.toISOString()}, epoch ` +
      `${candidate.epoch} (held-out recall ${candidate.recall.toFixed(3)}, ` +
      `acc ${candidate.acc.toFixed(3)})`,
  )
  break
}

if (!model) {
  flor.log('model', 'rules')
  console.log('infer: no trained model yet; using the rule in lib/segmentation.ts')
}

const docs = listPdfs(ws)
  .map((pdf) => pdf.name)
  .filter((doc) => features.has(doc))
let boundaries = 0

for (const doc of flor.loop('document', docs)) {
  const pages = [...(features.get(doc) ?? new Map<number, number[]>())].sort((a, b) => a[0] - b[0])
  const numbers = pages.map(([number]) => number)
  const vectors = pages.map(([, x]) => x)
  const p = model ? predict(model, vectors) : vectors.map((x) => ruleFirstPage(asRecord(x)))
  // A PDF's first page starts a document, whatever the model thinks.
  const probabilityOf = new Map(numbers.map((n, i) => [n, n === 1 ? 1 : (p[i] ?? 0)]))

  for (const page of flor.loop('page', numbers)) {
    const probability = probabilityOf.get(page) ?? 0

    boundaries += flor.log('first_page', probability >= threshold ? 1 : 0)
    flor.log('first_page_p', Math.round(probability * 1000) / 1000)
  }
}

console.log(`infer: ${boundaries} documents found in ${docs.length} PDFs`)

function asRecord(x: readonly number[]): Record<FeatureName, number> {
  return Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, x[i] ?? 0])) as Record<
    FeatureName,
    number
  >
}

import * as flor from 'flordb'

import { batchesOf, loadCorpus } from './data.js'
import { clipGradNorm, Gpt, Lion } from './nn.js'

const steps = flor.arg('steps', 2000)
const lr = flor.arg('lr', 1e-4)
const clip = flor.arg('clip', 1.0)

const corpus = await loadCorpus('data/shakespeare.txt')
const model = new Gpt({ vocab: corpus.vocabSize, layers: 6, heads: 6, width: 384 })
const optimizer = new Lion(model.parameters(), { lr })

for (const epoch of flor.loop('epoch', range(4))) {
  for (const batch of flor.loop('step', batchesOf(corpus, { size: 64, block: 256 }))) {
    const started = performance.now()
    const loss = model.loss(batch.inputs, batch.targets)
    optimizer.zeroGrad()
    loss.backward()
    const norm = clipGradNorm(model.parameters(), clip)
    if (!Number.isFinite(norm)) {
      console.warn('non-finite gradient norm, skipping step')
      continue
    }
    optimizer.step()
    console.log(`step took ${performance.now() - started} ms`)
  }

  flor.log('sample', model.generate(corpus.encode('ROMEO:'), 200))
}

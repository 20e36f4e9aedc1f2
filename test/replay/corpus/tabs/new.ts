import * as flor from 'flordb'

import { loadPairs } from './data.js'
import { ContrastiveLoss, SentenceEncoder } from './encoder.js'

const epochs = flor.arg('epochs', 3)
const temperature = flor.arg('temperature', 0.05)

const pairs = await loadPairs('data/nli-pairs.jsonl')
const encoder = await SentenceEncoder.load('minilm-l6')
const objective = new ContrastiveLoss({ temperature })

for (const epoch of flor.loop('epoch', range(epochs))) {
  for (const batch of flor.loop('step', pairs.batches(128))) {
    const anchors = encoder.embed(batch.anchors)
    const positives = encoder.embed(batch.positives)
    const loss = objective.compute(anchors, positives)
    flor.log('alignment', anchors.cosine(positives).mean())
    encoder.update(loss)
  }
}

import * as flor from 'flordb'

import { loadCorpus } from './data.js'
import { CharRnn, Adam } from './nn.js'

const text = await loadCorpus('data/tiny-shakespeare.txt')
const model = new CharRnn({ vocab: text.vocab, hidden: 256 })
const optimizer = new Adam(model.parameters(), { lr: 2e-3 })

for (const epoch of flor.loop('epoch', range(30))) {
  for (const batch of flor.loop('step', text.batches(64, 128))) {
    const loss = model.loss(batch)
    optimizer.zeroGrad()
    loss.backward()
    optimizer.step()
  }
}

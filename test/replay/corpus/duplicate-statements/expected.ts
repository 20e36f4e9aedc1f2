import * as flor from 'flordb'

import { loadSplits } from './data.js'
import { Adam, Classifier } from './nn.js'

const epochs = flor.arg('epochs', 15)
const { train, valid } = await loadSplits('data/sst2')
const model = new Classifier({ vocab: train.vocab, hidden: 256 })
const optimizer = new Adam(model.parameters(), { lr: 1e-3 })

for (const epoch of flor.loop('epoch', range(epochs))) {
  model.train()
  for (const batch of flor.loop('step', train.batches(64))) {
    const loss = model.loss(batch)
    optimizer.zeroGrad()
    loss.backward()
    optimizer.step()
  }

  model.eval()
  let correct = 0
  for (const batch of valid.batches(256)) {
    const loss = model.loss(batch)
    flor.log('val_batch_loss', loss.item())
    correct += model.correct(batch)
  }

  flor.log('val_acc', correct / valid.size)
}

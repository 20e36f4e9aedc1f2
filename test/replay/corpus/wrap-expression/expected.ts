import * as flor from 'flordb'

import { loadBatches } from './data.js'
import { Adam, crossEntropy, Mlp } from './nn.js'

const epochs = flor.arg('epochs', 10)
const model = new Mlp([784, 256, 10])
const optimizer = new Adam(model.parameters(), 3e-4)
const batches = loadBatches('data/train.jsonl', 32)

for (const epoch of flor.loop('epoch', range(epochs))) {
  let total = 0

  for (const [x, y] of flor.loop('step', batches)) {
    optimizer.zeroGrad()
    const lossValue = crossEntropy(model.forward(x), y)
    lossValue.backward()
    optimizer.step()
    total += flor.log('batch_loss', lossValue.item())
  }

  flor.log('train_loss', total / batches.length)
}

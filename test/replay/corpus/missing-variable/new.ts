import * as flor from 'flordb'

import { loadBatches } from './data.js'
import { Adam, crossEntropy, globalGradNorm, Mlp } from './nn.js'

const epochs = flor.arg('epochs', 10)
const lr = flor.arg('lr', 3e-4)

const model = new Mlp([784, 256, 10])
const optimizer = new Adam(model.parameters(), lr)
const batches = loadBatches('data/train.jsonl', 32)

for (const epoch of flor.loop('epoch', range(epochs))) {
  for (const [x, y] of flor.loop('step', batches)) {
    optimizer.zeroGrad()
    const loss = crossEntropy(model.forward(x), y)
    loss.backward()
    const gradNorm = globalGradNorm(model.parameters())
    flor.log('grad_norm', gradNorm)
    optimizer.step()
  }
}

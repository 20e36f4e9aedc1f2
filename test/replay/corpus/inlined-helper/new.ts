import * as flor from 'flordb'

import { loadBatches } from './data.js'
import { Adam, crossEntropy, Mlp } from './nn.js'

const model = new Mlp([784, 256, 10])
const optimizer = new Adam(model.parameters(), 3e-4)

for (const epoch of flor.loop('epoch', range(10))) {
  for (const [x, y] of flor.loop('step', loadBatches('data/train.jsonl', 32))) {
    optimizer.zeroGrad()
    const loss = crossEntropy(model.forward(x), y)
    loss.backward()
    flor.log('grad_norm', model.gradNorm())
    optimizer.step()
  }
}

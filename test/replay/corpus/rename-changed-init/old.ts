import * as flor from 'flordb'

import { loadBatches } from './data.js'
import { Adam, crossEntropy, Mlp } from './nn.js'

const model = new Mlp([784, 512, 10])
const optimizer = new Adam(model.parameters(), 3e-4)
const batches = loadBatches('data/train.jsonl', 64)

for (const epoch of flor.loop('epoch', range(10))) {
  let running = 0

  for (const [x, y] of flor.loop('step', batches)) {
    optimizer.zeroGrad()
    const objective = crossEntropy(model.forward(x), y)
    objective.backward()
    optimizer.step()
    running += objective.item()
  }

  flor.log('train_loss', running / batches.length)
}

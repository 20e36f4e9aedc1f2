import * as flor from 'flordb'

import { loadBatches } from './data.js'
import { Adam, labelSmoothingLoss, Mlp } from './nn.js'

const model = new Mlp([784, 512, 10])
const optimizer = new Adam(model.parameters(), 3e-4)
const batches = loadBatches('data/train.jsonl', 64)

for (const epoch of flor.loop('epoch', range(10))) {
  let running = 0

  for (const [x, y] of flor.loop('step', batches)) {
    optimizer.zeroGrad()
    const loss = labelSmoothingLoss(model.forward(x), y, 0.1)
    loss.backward()
    optimizer.step()
    flor.log('loss_scalar', loss.item())
    running += loss.item()
  }

  flor.log('train_loss', running / batches.length)
}

import * as flor from 'flordb'

import { loadBatches } from './data.js'
import { Adam, crossEntropy, Mlp } from './nn.js'

const epochs = flor.arg('epochs', 10)
const lr = flor.arg('lr', 3e-4)

const model = new Mlp([784, 256, 10])
const optimizer = new Adam(model.parameters(), lr)
const batches = loadBatches('data/train.jsonl', 32)

for (const epoch of flor.loop('epoch', range(epochs))) {
  let running = 0

  for (const [x, y] of flor.loop('step', batches)) {
    optimizer.zeroGrad()
    const logits = model.forward(x)
    const lossValue = crossEntropy(logits, y)
    lossValue.backward()
    flor.log('batch_loss', lossValue.item())
    optimizer.step()
    running += lossValue.item()
  }

  flor.log('train_loss', running / batches.length)
}

await model.save('checkpoints/mlp.json')

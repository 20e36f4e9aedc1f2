import * as flor from 'flordb'

import { loadMnist } from './data.js'
import { Adam, Cnn } from './nn.js'

const epochs = flor.arg('epochs', 5)
const lr = flor.arg('lr', 5e-4)

const { train, test } = await loadMnist()
const model = new Cnn({ channels: [1, 16, 32], classes: 10 })
const optimizer = new Adam(model.parameters(), { lr })

for (const epoch of flor.loop('epoch', range(epochs))) {
  for (const batch of flor.loop('step', train.batches(64))) {
    const loss = model.loss(batch.images, batch.labels)
    optimizer.zeroGrad()
    loss.backward()
    optimizer.step()
  }

  const accuracy = model.accuracy(test.images, test.labels)
  flor.log('accuracy', accuracy)
}

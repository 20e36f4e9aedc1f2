import * as flor from 'flordb'

import { loadBatches } from './data.js'
import { Adam, Mlp } from './nn.js'

const model = new Mlp([32, 64, 1])
const optimizer = new Adam(model.parameters(), 1e-3)

for (const epoch of flor.loop('epoch', range(20))) {
  let loss = 0
  let seen = 0

  for (const batch of loadBatches('data/regression.csv', 128)) {
    const step = model.fitBatch(batch, optimizer)
    loss += step.loss * batch.size
    seen += batch.size
  }

  const mae = model.meanAbsoluteError(loadBatches('data/holdout.csv', 512))
  flor.log('summary', { loss: loss / seen, mae, seen })
}

import * as flor from 'flordb'

import { DataLoader, loadCsv } from './data.js'
import { Adam, Mlp, mse } from './nn.js'

function trainEpoch(net: Mlp, opt: Adam, loader: DataLoader): number {
  let total = 0

  for (const { features, target } of flor.loop('batch', loader)) {
    opt.zeroGrad()
    const loss = mse(net.forward(features), target)
    loss.backward()
    opt.step()
    total += loss.item()
  }

  return total / loader.length
}

const epochs = flor.arg('epochs', 40)
const hidden = flor.arg('hidden', 64)
const table = await loadCsv('data/housing.csv')
const model = new Mlp([table.columns - 1, hidden, 1])
const optimizer = new Adam(model.parameters(), { lr: 1e-3 })

for (const epoch of flor.loop('epoch', range(epochs))) {
  const loss = trainEpoch(model, optimizer, new DataLoader(table, { batchSize: 256 }))
  flor.log('loss', loss)
}

import * as flor from 'flordb'

import { loadDataset } from './data.js'
import { Adam, UNet } from './nn.js'

const model = new UNet({ channels: 64 })
const optimizer = new Adam(model.parameters(), { lr: 2e-4 })
const data = await loadDataset('data/flowers')

for (const epoch of flor.loop('epoch', range(100))) {
  for (const batch of flor.loop('step', data.batches(8))) {
    const loss = model.denoisingLoss(batch.images)
    optimizer.zeroGrad()
    loss.backward()
    optimizer.step()
  }
}

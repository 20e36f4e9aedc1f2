import * as flor from 'flordb'

import { loadBatches } from './data.js'
import { Adam, Mlp, WarmupCosine } from './nn.js'

const model = new Mlp([784, 256, 10])
const optimizer = new Adam(model.parameters(), 3e-4)
const schedule = new WarmupCosine(optimizer, { warmup: 2, total: 30 })

for (const e of flor.loop('epoch', range(30))) {
  for (const batch of loadBatches('data/train.jsonl', 32)) model.fitBatch(batch, optimizer)
  schedule.step()
}

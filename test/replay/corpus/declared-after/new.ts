import * as flor from 'flordb'

import { loadBatches } from './data.js'
import { Adam, Mlp, paramNorm } from './nn.js'

const model = new Mlp([784, 256, 10])
const optimizer = new Adam(model.parameters(), 3e-4)

for (const epoch of flor.loop('epoch', range(10))) {
  const norm = paramNorm(model)
  for (const batch of loadBatches('data/train.jsonl', 32)) model.fitBatch(batch, optimizer)
  flor.log('param_norm_before', norm)
}

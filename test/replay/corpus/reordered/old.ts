import * as flor from 'flordb'

import { loadSplits } from './data.js'
import { evaluate, saveCheckpoint, trainOneEpoch } from './loop.js'
import { AdamW, CosineSchedule, TextClassifier } from './model.js'

const epochs = flor.arg('epochs', 8)
const lr = flor.arg('lr', 5e-5)
const warmup = flor.arg('warmup', 500)

const { train, validation } = await loadSplits('data/reviews', { maxLength: 256 })
const model = await TextClassifier.fromPretrained('distilbert-base-uncased', { labels: 2 })
const optimizer = new AdamW(model.parameters(), { lr, weightDecay: 0.01 })
const schedule = new CosineSchedule(optimizer, { warmup, total: epochs * train.batches })

for (const epoch of flor.loop('epoch', range(epochs))) {
  const trainLoss = await trainOneEpoch(model, train, optimizer, schedule)
  await saveCheckpoint(model, `checkpoints/epoch-${epoch}`)
  const { loss: valLoss, f1 } = await evaluate(model, validation)
  flor.log('train_loss', trainLoss)
  flor.log('val_loss', valLoss)
  flor.log('f1', f1)
  schedule.step()
}

import * as flor from 'flordb'

import { GradScaler } from './amp.js'
import { loadImageNetSubset } from './data.js'
import { AdamW, VisionTransformer } from './nn.js'

const epochs = flor.arg('epochs', 90)
const lr = flor.arg('lr', 1e-3)

const data = await loadImageNetSubset('data/imagenet-100', { resolution: 224 })
const model = new VisionTransformer({ patch: 16, width: 384, depth: 12, classes: 100 })
const optimizer = new AdamW(model.parameters(), { lr, weightDecay: 0.05 })
const scaler = new GradScaler()

for (const epoch of flor.loop('epoch', range(epochs))) {
  let lossSum = 0

  for (const batch of flor.loop('step', data.train(256))) {
    const loss = model.loss(batch.images, batch.labels)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    optimizer.zeroGrad()
    lossSum += loss.item()
  }

  flor.log('scale', scaler.getScale())
  flor.log('train_loss', lossSum / data.trainBatches)
  flor.log('top1', await model.accuracy(data.validation(512)))
}

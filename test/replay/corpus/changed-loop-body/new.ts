import * as flor from 'flordb'

import { GradScaler, autocast } from './amp.js'
import { loadImageNetSubset } from './data.js'
import { AdamW, VisionTransformer } from './nn.js'

const epochs = flor.arg('epochs', 90)
const lr = flor.arg('lr', 1e-3)
const accumulate = flor.arg('accumulate', 4)

const data = await loadImageNetSubset('data/imagenet-100', { resolution: 224 })
const model = new VisionTransformer({ patch: 16, width: 384, depth: 12, classes: 100 })
const optimizer = new AdamW(model.parameters(), { lr, weightDecay: 0.05 })
const scaler = new GradScaler()

for (const epoch of flor.loop('epoch', range(epochs))) {
  let seen = 0
  let lossSum = 0

  for (const [i, batch] of flor.loop('step', enumerate(data.train(256)))) {
    const loss = autocast(() => model.loss(batch.images, batch.labels)).div(accumulate)
    scaler.scale(loss).backward()

    if ((i + 1) % accumulate === 0) {
      scaler.unscale(optimizer)
      scaler.step(optimizer)
      scaler.update()
      optimizer.zeroGrad()
    }

    seen += batch.size
    lossSum += loss.item() * accumulate * batch.size
  }

  flor.log('scale', scaler.getScale())
  flor.log('train_loss', lossSum / seen)
  const top1 = await model.accuracy(data.validation(512))
  flor.log('top1', top1)
}

import { arg, log, loop } from 'flordb'

import { loadCoco } from './data.js'
import { Detector, SgdMomentum } from './vision.js'

const epochs = arg('epochs', 12)
const data = await loadCoco('data/coco-2017', { split: 'train' })
const detector = new Detector({ backbone: 'resnet50', classes: data.classes })
const optimizer = new SgdMomentum(detector.parameters(), { lr: 0.02, momentum: 0.9 })

for (const epoch of loop('epoch', range(epochs))) {
  for (const batch of loop('step', data.batches(16))) {
    const losses = detector.losses(batch.images, batch.targets)
    log('box_loss', losses.box.item())
    optimizer.zeroGrad()
    losses.total.backward()
    optimizer.step()
  }
}

import * as flor from 'flordb'

import { ImageFolder } from './data/image-folder.js'
import { ResNet18, Sgd, StepLr } from './nn/index.js'
import { weightNorm } from './nn/stats.js'

const epochs = flor.arg('epochs', 30)
const lr = flor.arg('lr', 0.1)
const momentum = flor.arg('momentum', 0.9)

const dataset = new ImageFolder('data/cifar10/train', { augment: true })
const model = new ResNet18({ classes: 10 })
const optimizer = new Sgd(model.parameters(), { lr, momentum })
const scheduler = new StepLr(optimizer, { stepSize: 10, gamma: 0.1 })

await flor.checkpointing({ model, optimizer, scheduler }, async () => {
  for (const epoch of flor.loop('epoch', range(epochs))) {
    model.train()
    let correct = 0

    for (const { images, labels } of dataset.loader({ batchSize: 128, shuffle: true })) {
      optimizer.zeroGrad()
      const output = model.forward(images)
      const loss = output.crossEntropy(labels)
      loss.backward()
      optimizer.step()
      correct += output.argmax(1).eq(labels).sum()
    }

    scheduler.step()
    flor.log('weight_norm', weightNorm(model))
    flor.log('train_acc', correct / dataset.length)
  }
})

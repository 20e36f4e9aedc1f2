import * as tf from '@tensorflow/tfjs-node'
import * as flor from 'flordb'

import { loadMnist } from './data.js'

const epochs = flor.arg('epochs', 5)
const batchSize = flor.arg('batch_size', 64)
const lr = flor.arg('lr', 0.001)

function buildModel(): tf.Sequential {
  const model = tf.sequential()
  model.add(tf.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }))
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }))

  return model
}

const { train, test } = await loadMnist()
const model = buildModel()
const optimizer = tf.train.adam(lr)

flor.checkpointing({ model, optimizer }, () => {
  for (const epoch of flor.loop('epoch', range(epochs))) {
    let total = 0

    for (const batch of flor.loop('step', train.batches(batchSize))) {
      const { value, grads } = tf.variableGrads(() => lossOf(model, batch))
      optimizer.applyGradients(grads)
      flor.log('grad_norm', globalNorm(grads))
      total += value.dataSync()[0] ?? 0
      tf.dispose([value, grads])
    }

    flor.log('loss', total / train.size)
    console.log(`epoch ${epoch}: loss ${total / train.size}`)
  }
})

const accuracy = evaluate(model, test)
flor.log('accuracy', accuracy)

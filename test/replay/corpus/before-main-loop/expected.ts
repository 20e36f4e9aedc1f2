import * as flor from 'flordb'

import { loadSpeechCommands } from './data.js'
import { Conformer, countParameters, Adam } from './nn.js'

const epochs = flor.arg('epochs', 20)
const lr = flor.arg('lr', 2e-3)
const width = flor.arg('width', 144)

const data = await loadSpeechCommands('data/speech-commands-v2')
const model = new Conformer({ width, blocks: 12, heads: 4, classes: data.labels.length })
flor.log('parameters', countParameters(model))
const optimizer = new Adam(model.parameters(), { lr })

for (const epoch of flor.loop('epoch', range(epochs))) {
  for (const batch of data.train({ batchSize: 64 })) {
    optimizer.zeroGrad()
    model.loss(batch.audio, batch.labels).backward()
    optimizer.step()
  }

  flor.log('val_acc', await model.accuracy(data.validation()))
}

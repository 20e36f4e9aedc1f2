import * as flor from 'flordb'

import { loadGraph } from './graph.js'
import { Gcn, Adam } from './gnn.js'

const epochs = flor.arg('epochs', 200)
const dropout = flor.arg('dropout', 0.5)

const graph = await loadGraph('data/cora')
const model = new Gcn({ inputs: graph.featureSize, hidden: 16, classes: graph.classes, dropout })
const optimizer = new Adam(model.parameters(), { lr: 0.01, weightDecay: 5e-4 })

for (const epoch of flor.loop('epoch', range(epochs))) {
  flor.log('lr', optimizer.lr)
  // one full-batch step per epoch
  optimizer.zeroGrad()
  const out = model.forward(graph.features, graph.adjacency)
  const loss = out.nllLoss(graph.labels, graph.trainMask)
  loss.backward()
  optimizer.step()
  flor.log('val_acc', out.accuracy(graph.labels, graph.valMask))
}

import * as flor from 'flordb'

import { KMeans, loadEmbeddings } from './cluster.js'

const k = flor.arg('k', 50)
const iterations = flor.arg('iterations', 30)

const points = await loadEmbeddings('data/product-embeddings.npy')
const kmeans = new KMeans({ k, seed: 1 })
kmeans.initPlusPlus(points)

for (const i of flor.loop('iteration', range(iterations))) {
  const assignment = kmeans.assign(points)
  const moved = kmeans.update(points, assignment)
  flor.log('inertia', kmeans.inertia(points, assignment))

  if (moved < 1e-4) break
}

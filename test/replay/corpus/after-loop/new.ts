import * as flor from 'flordb'

import { loadMovieLens } from './data.js'
import { MatrixFactorization, rmse } from './recsys.js'

const factors = flor.arg('factors', 64)
const epochs = flor.arg('epochs', 25)
const regularization = flor.arg('reg', 0.02)

const { ratings, holdout } = await loadMovieLens('data/ml-1m')
const mf = new MatrixFactorization({ users: ratings.users, items: ratings.items, factors })

for (const epoch of flor.loop('epoch', range(epochs))) {
  for (const chunk of ratings.shuffled(4096)) mf.sgdStep(chunk, { lr: 0.01, regularization })
  flor.log('train_rmse', rmse(mf, ratings.sample(50_000)))
}

const testRmse = rmse(mf, holdout)
flor.log('test_rmse', testRmse)
console.log(`holdout RMSE ${testRmse.toFixed(4)}`)
await mf.save('models/mf.bin')

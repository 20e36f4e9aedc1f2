import * as flor from 'flordb'

import { loadTabular } from './data.js'
import { GradientBoosting } from './boosting.js'

const rounds = flor.arg('rounds', 300)
const depth = flor.arg('depth', 6)
const eta = flor.arg('eta', 0.05)

const { train, valid } = await loadTabular('data/churn.csv', { target: 'churned' })
const booster = new GradientBoosting({ depth, eta, objective: 'logloss' })
const history: number[] = []

for (const round of flor.loop('round', range(rounds))) {
  const tree = booster.fitRound(train)
  const score = booster.score(valid)
  history.push(score)

  if (earlyStop(history, 20)) break
}

flor.log('best_round', argMax(history))
await booster.save('models/churn.json')

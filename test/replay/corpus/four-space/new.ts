import * as flor from 'flordb'

import { loadTimeSeries } from './data.js'
import { Lstm, Adam } from './nn.js'

const epochs = flor.arg('epochs', 50)
const window = flor.arg('window', 48)

const series = await loadTimeSeries('data/electricity.parquet', { window })
const model = new Lstm({ inputs: series.features, hidden: 128, layers: 2 })
const optimizer = new Adam(model.parameters(), { lr: 1e-3 })

for (const epoch of flor.loop('epoch', range(epochs))) {
  for (const batch of flor.loop('step', series.batches(64))) {
    const forecast = model.forward(batch.history)
    const loss = forecast.sub(batch.future).abs().mean()
    flor.log('forecast_stats', {
      mean: forecast.mean().item(),
      std: forecast.std().item(),
    })
    optimizer.zeroGrad()
    loss.backward()
    optimizer.step()
  }
}

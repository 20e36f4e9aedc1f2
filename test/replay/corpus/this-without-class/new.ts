import * as flor from 'flordb'

import type { Dataset } from './data.js'
import { loadDataset } from './data.js'
import { Adam, UNet } from './nn.js'

class Trainer {
  readonly #model = new UNet({ channels: 64 })
  readonly #optimizer = new Adam(this.#model.parameters(), { lr: 2e-4 })

  fit(data: Dataset, epochs: number): void {
    for (const epoch of flor.loop('epoch', range(epochs))) {
      for (const batch of flor.loop('step', data.batches(8))) {
        const loss = this.#model.denoisingLoss(batch.images)
        this.#optimizer.zeroGrad()
        loss.backward()
        this.#optimizer.step()
      }

      flor.log('ema_decay', this.#model.emaDecay)
    }
  }
}

new Trainer().fit(await loadDataset('data/flowers'), 100)

import * as flor from 'flordb'

import type { Dataset } from './data.js'
import { Adam, UNet } from './nn.js'

export class Trainer {
  readonly #model: UNet
  readonly #optimizer: Adam

  constructor(model: UNet, lr: number) {
    this.#model = model
    this.#optimizer = new Adam(model.parameters(), { lr })
  }

  async fit(data: Dataset, epochs: number): Promise<void> {
    for (const epoch of flor.loop('epoch', range(epochs))) {
      for (const batch of flor.loop('step', data.batches(8))) {
        const noise = batch.images.randomNormal()
        const t = batch.randomTimesteps(1000)
        const loss = this.#model.denoisingLoss(batch.images, noise, t)
        this.#optimizer.zeroGrad()
        loss.backward()
        this.#optimizer.step()
      }

      flor.log('samples', await this.#model.sampleGrid(16))
    }
  }

  async save(path: string): Promise<void> {
    await this.#model.save(path)
  }
}

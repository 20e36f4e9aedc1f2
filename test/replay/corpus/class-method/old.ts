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

  async save(path: string): Promise<void> {
    await this.#model.save(path)
  }

  async fit(data: Dataset, epochs: number): Promise<void> {
    for (const epoch of flor.loop('epoch', range(epochs))) {
      for (const batch of flor.loop('step', data.batches(8))) {
        const noise = batch.images.randomNormal()
        const loss = this.#model.denoisingLoss(batch.images, noise, batch.randomTimesteps(1000))
        this.#optimizer.zeroGrad()
        loss.backward()
        this.#optimizer.step()
      }
    }
  }
}

import * as flor from 'flordb'

import { loadFaces } from './data.js'
import { Vae } from './vae.js'

const faces = await loadFaces('data/celeba-64')
const vae = new Vae({ latent: 64 })

for (const epoch of flor.loop('epoch', range(25))) {
  for (const batch of flor.loop('step', faces.batches(64))) {
    const { reconstruction, kl } = vae.trainStep(batch)
    flor.log('recon', reconstruction)
  }

  flor.log('samples', vae.sample(16))
}

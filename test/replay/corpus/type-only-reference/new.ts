import * as flor from 'flordb'
import type { Tensor } from '@tensorflow/tfjs-node'

import { log as record, loop as each } from 'flordb'
import { loadFaces } from './data.js'
import { Vae } from './vae.js'

const faces = await loadFaces('data/celeba-64')
const vae = new Vae({ latent: 128 })

for (const epoch of each('epoch', range(25))) {
  for (const batch of each('step', faces.batches(64))) {
    const { reconstruction, kl } = vae.trainStep(batch)
    record('kl_per_dim', (kl as Tensor).div(128).dataSync()[0])
    record('recon', reconstruction)
  }

  flor.log('samples', vae.sample(16))
}

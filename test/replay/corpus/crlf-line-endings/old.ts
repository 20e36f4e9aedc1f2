import * as flor from 'flordb'

import { loadAudio } from './data.js'
import { Wav2Vec, ctcLoss, Adam } from './speech.js'

const model = await Wav2Vec.load('wav2vec2-base')
const optimizer = new Adam(model.parameters(), { lr: 1e-5 })
const clips = await loadAudio('data/librispeech-clean-100')

for (const epoch of flor.loop('epoch', range(5))) {
  for (const batch of flor.loop('step', clips.batches(8))) {
    const logits = model.forward(batch.waveforms)
    const loss = ctcLoss(logits, batch.transcripts)
    optimizer.zeroGrad()
    loss.backward()
    optimizer.step()
  }
}

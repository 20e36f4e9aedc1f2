import * as flor from 'flordb'

import { buildTokenizer, loadTranslationPairs } from './data.js'
import { Seq2Seq, bleu, NoamSchedule, Adam } from './nmt.js'

const epochs = flor.arg('epochs', 20)
const width = flor.arg('width', 512)

const pairs = await loadTranslationPairs('data/wmt14-en-de')
const tokenizer = await buildTokenizer(pairs.train, { vocab: 32_000 })
const model = new Seq2Seq({ vocab: tokenizer.size, width, layers: 6 })
const optimizer = new Adam(model.parameters(), { lr: 1, betas: [0.9, 0.98] })
const schedule = new NoamSchedule(optimizer, { width, warmup: 4000 })

for (const epoch of flor.loop('epoch', range(epochs))) {
  for (const batch of flor.loop('step', pairs.train.batches({ tokens: 25_000 }))) {
    const loss = model.loss(tokenizer.encode(batch.source), tokenizer.encode(batch.target))
    optimizer.zeroGrad()
    loss.backward()
    optimizer.step()
    schedule.step()
  }

  const hypotheses = await model.translate(pairs.dev.source, { beam: 4 })
  flor.log('dev_bleu', bleu(hypotheses.map((h) => tokenizer.decode(h)), pairs.dev.target))
}

await model.save('models/transformer-base')

import { parseArgs } from 'node:util'

import * as flor from 'flordb'

import { buildTokenizer, loadTranslationPairs } from './data.js'
import { Seq2Seq, bleu, NoamSchedule, Adam } from './nmt.js'
import { EarlyStopping } from './callbacks.js'

interface Config {
  epochs: number
  width: number
  layers: number
  warmup: number
}

function configure(): Config {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' } }, strict: false })

  return {
    epochs: flor.arg('epochs', values.quick ? 1 : 30),
    width: flor.arg('width', 512),
    layers: flor.arg('layers', 6),
    warmup: flor.arg('warmup', 4000),
  }
}

async function main(): Promise<void> {
  const config = configure()
  const pairs = await loadTranslationPairs('data/wmt14-en-de', { limit: 2_000_000 })
  const tokenizer = await buildTokenizer(pairs.train, { vocab: 32_000 })
  const translator = new Seq2Seq({ vocab: tokenizer.size, width: config.width, layers: config.layers })
  const optimizer = new Adam(translator.parameters(), { lr: 1, betas: [0.9, 0.98] })
  const schedule = new NoamSchedule(optimizer, { width: config.width, warmup: config.warmup })
  const stopper = new EarlyStopping({ patience: 3, mode: 'max' })

  for (const epoch of flor.loop('epoch', range(config.epochs))) {
    for (const batch of flor.loop('step', pairs.train.batches({ tokens: 25_000 }))) {
      const loss = translator.loss(tokenizer.encode(batch.source), tokenizer.encode(batch.target))
      optimizer.zeroGrad()
      loss.backward()
      optimizer.step()
      schedule.step()
    }

    const hypotheses = await translator.translate(pairs.dev.source, { beam: 4 })
    const score = bleu(hypotheses.map((h) => tokenizer.decode(h)), pairs.dev.target)
    flor.log('dev_bleu', score)
    flor.log('hypothesis_length', mean(hypotheses.map((h) => h.length)))

    if (stopper.update(score)) break
  }

  await translator.save('models/transformer-base')
}

await main()

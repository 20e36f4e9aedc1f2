import * as flor from 'flordb'

import { loadQa } from './data.js'
import { Retriever, Reader } from './rag.js'

const rounds = flor.arg('rounds', 3)
const { train, dev } = await loadQa('data/nq-open')
const retriever = await Retriever.build(train.passages, { model: 'bge-small' })
const reader = new Reader({ model: 'flan-t5-base' })

for (const round of flor.loop('round', range(rounds))) {
  await reader.fineTune(train.questions, { retriever, epochs: 1 })
  const { em } = await evaluate(reader, retriever, dev.questions)
  flor.log('em', em)
}

async function evaluate(reader: Reader, retriever: Retriever, questions: Question[]) {
  let hits = 0
  let recall = 0

  for (const q of questions) {
    const passages = await retriever.search(q.text, 5)
    recall += passages.some((p) => q.goldIds.includes(p.id)) ? 1 : 0
    flor.log('top_score', passages[0]?.score ?? 0)
    const answer = await reader.answer(q.text, passages)
    hits += exactMatch(answer, q.answers) ? 1 : 0
  }

  return { em: hits / questions.length, recall: recall / questions.length }
}

function exactMatch(prediction: string, answers: string[]): boolean {
  const normalized = prediction.trim().toLowerCase()

  return answers.some((answer) => answer.trim().toLowerCase() === normalized)
}

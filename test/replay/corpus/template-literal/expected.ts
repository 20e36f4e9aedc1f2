import * as flor from 'flordb';

import { loadReviews } from './data.js';
import { Summarizer } from './llm.js';

const reviews = await loadReviews('data/reviews.jsonl');
const summarizer = new Summarizer({ model: 'llama-3-8b-instruct' });

for (const batch of flor.loop('batch', reviews.chunks(20))) {
    const summary = await summarizer.summarize(batch);
    flor.log('report', `batch ${batch.id}
  reviews: ${batch.length}
  summary: ${summary}`);
    await summarizer.store(batch.id, summary);
}

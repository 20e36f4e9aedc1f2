import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { readRows, stageFilename, timeOf, type Row } from './records.js'

/** A trained model as the registry lists it: one epoch of one `train.ts` run. */
export interface Candidate {
  readonly file: string
  readonly acc: number
  readonly recall: number
  readonly tstamp: Date
  readonly epoch: number
}

/**
 * Every saved model that `train.ts` logged, best first: highest held-out
 * recall (a missed boundary glues two documents together, the costlier
 * mistake), then accuracy, then the newest run and the later epoch.
 */
export const rankModels = async (modelsDir: string): Promise<Candidate[]> => {
  const rows = await readRows('acc', 'recall', 'weights')
  const filename = stageFilename('train.ts')

  return rows
    .filter((row) => row.filename === filename && typeof row.weights === 'string')
    .filter((row) => row.acc != null && row.recall != null)
    .map((row: Row) => ({
      file: join(modelsDir, String(row.weights)),
      acc: Number(row.acc),
      recall: Number(row.recall),
      tstamp: new Date(timeOf(row)),
      epoch: Number(row.epoch ?? 0),
    }))
    .filter((candidate) => existsSync(candidate.file))
    .sort(
      (a, b) =>
        b.recall - a.recall ||
        b.acc - a.acc ||
        b.tstamp.getTime() - a.tstamp.getTime() ||
        b.epoch - a.epoch,
    )
}

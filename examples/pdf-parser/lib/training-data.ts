import { FEATURE_NAMES } from './features.js'
import { latestByDocument, stageFilename, pageOf, readRows, valuesByPage } from './records.js'
import { firstPagesFromColors } from './segmentation.js'

/** Where a document's labels came from: `labels.json` through `label.ts`, or a person in the app. */
export type LabelSource = 'labels' | 'feedback'

export interface DocumentLabels {
  readonly source: LabelSource
  /** 1-based page → 1 when a new document starts there, else 0. */
  readonly firstPages: ReadonlyMap<number, number>
}

/**
 * The labels to train on, read back from flordb: the latest `first_page` that
 * `label.ts` logged for each PDF, replaced wherever a person saved page
 * colours in the app, since a colour change between neighbouring pages is a
 * document boundary they drew themselves.
 */
export const loadLabels = async (): Promise<Map<string, DocumentLabels>> => {
  const rows = await readRows('first_page', 'page_color')
  const labels = new Map<string, DocumentLabels>()

  for (const [doc, docRows] of latestByDocument(rows, stageFilename('label.ts'), 'first_page')) {
    const firstPages = valuesByPage(docRows, 'first_page') as Map<number, number>

    labels.set(doc, { source: 'labels', firstPages })
  }

  for (const [doc, docRows] of latestByDocument(rows, stageFilename('app.ts'), 'page_color')) {
    const colors = valuesByPage(docRows, 'page_color')
    const pages = [...colors.keys()].sort((a, b) => a - b)
    const firsts = firstPagesFromColors(pages.map((page) => Number(colors.get(page))))

    labels.set(doc, {
      source: 'feedback',
      firstPages: new Map(pages.map((page, i) => [page, firsts[i] ?? 0])),
    })
  }

  return labels
}

/** The latest features `featurize.ts` logged: document → page → the model's input vector. */
export const loadFeatures = async (): Promise<Map<string, Map<number, number[]>>> => {
  const rows = await readRows(...FEATURE_NAMES)
  const features = new Map<string, Map<number, number[]>>()

  for (const [doc, docRows] of latestByDocument(
    rows,
    stageFilename('featurize.ts'),
    FEATURE_NAMES[0],
  )) {
    const pages = new Map<number, number[]>()

    for (const row of docRows) {
      pages.set(
        pageOf(row),
        FEATURE_NAMES.map((name) => Number(row[name] ?? 0)),
      )
    }

    features.set(doc, pages)
  }

  return features
}

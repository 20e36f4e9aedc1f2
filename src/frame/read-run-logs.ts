import type { Backend, SqlValue } from '../store/backend.js'
import {
  packedListSql,
  packedNumberSql,
  parsePackedIntegers,
  parsePackedNumbers,
} from './packed-numbers.js'
import { Kind, type ValueStore } from './value-store.js'

/** The requested records of one run, in the order they were logged. */
export interface RunLogs {
  /** Each record's ctx id, or -1 for a run-level record. */
  readonly ctx: Float64Array
  /** Each record's index in the requested names. */
  readonly name: Int32Array
  /** Record `i` holds value `first + i` of the value store. */
  readonly first: number
  readonly count: number
}

const vtypeCode = `case vtype
  when 'null' then 0 when 'number' then 1 when 'string' then 2 when 'boolean' then 3
  when 'json' then 4 when 'date' then 5 when 'bigint' then 6 else 7 end`

// SQLite orders null < numbers < text: comparisons cost less than typeof() per record.
const storageCode = `case when value < '' then 1 when value >= '' then 2 else 0 end`

/**
 * Reads one run's records of `names` as one row of packed lists (see `packed-numbers.ts`):
 * a key per record holding its ctx, name, vtype and storage class, and the numeric
 * values; the text values follow as a JSON array when there are any.
 */
export async function readRunLogs(
  backend: Backend,
  runId: number,
  names: readonly string[],
  runLevelOnly: boolean,
  store: ValueStore,
): Promise<RunLogs> {
  // The name and type fields take whole bits, so decoding needs no integer division.
  const lowSpan = 32 * 2 ** Math.ceil(Math.log2(Math.max(1, names.length)))
  const nameCode = `case name ${names.map((_, index) => `when ? then ${index}`).join(' ')} end`
  const placeholders = names.map(() => '?').join(', ')

  // `+name` keeps SQLite on the primary key, which yields records in `seq` order;
  // the name index would group them by name instead.
  const from = `from logs
    where run_id = ? and +name in (${placeholders}) ${runLevelOnly ? 'and ctx_id is null' : ''}
    order by seq`
  // Ctx ids ride in the key while the key stays an exact double; past that, apart.
  const [maxCtx] = await backend.rows('select max(ctx_id) from loops where run_id = ?', [runId])
  const ctxApart = (Number(maxCtx?.[0] ?? 0) + 2) * lowSpan > Number.MAX_SAFE_INTEGER
  const ctxInKey = ctxApart ? '0' : `ifnull(ctx_id + 1, 0) * ${lowSpan}`
  const [row] = await backend.rows(
    `select count(*), ${packedListSql('k')}, ${packedListSql('n')},
        ${ctxApart ? packedListSql('ifnull(ctx_id, -1)') : 'null'}
    from (
      select ctx_id, ${ctxInKey} + ${nameCode} * 32 + (${vtypeCode}) * 4 + ${storageCode} as k,
        ${packedNumberSql('value')} as n
      ${from}
    )`,
    [...names, runId, ...names],
  )
  const count = Number(row?.[0] ?? 0)
  const keys = parsePackedIntegers(row?.[1], count)
  const ctx = ctxApart ? parsePackedIntegers(row?.[3], count) : new Float64Array(count)
  const name = new Int32Array(count)
  const storage = new Uint8Array(count)
  const vtypes = new Uint8Array(count)
  let numericCount = 0
  let textCount = 0

  for (let index = 0; index < count; index++) {
    const key = keys[index] ?? 0
    const above = Math.floor(key / lowSpan)
    const low = key - above * lowSpan

    storage[index] = low & 3
    vtypes[index] = (low >>> 2) & 7
    name[index] = low >>> 5

    if (!ctxApart) ctx[index] = above - 1
    if ((low & 3) === 1) numericCount++
    else if ((low & 3) === 2) textCount++
  }

  const numbers = parsePackedNumbers(row?.[2], numericCount)
  const texts =
    textCount > 0
      ? await readTexts(
          backend,
          `select json_group_array(value) from (select value ${from}) where typeof(value) = 'text'`,
          [runId, ...names],
        )
      : []
  const first = store.reserve(count)
  let nextNumber = 0
  let nextText = 0

  for (let index = 0; index < count; index++) {
    const at = first + index
    const where = storage[index]

    if (where === 1) {
      const value = numbers[nextNumber++] ?? 0
      const vtype = vtypes[index]

      store.kinds[at] = vtype === 3 ? Kind.boolean : Kind.number
      store.numbers[at] = value
    } else if (where === 2) {
      storeText(store, at, vtypes[index] ?? 7, texts[nextText++] ?? '')
    } else {
      store.kinds[at] = Kind.null
    }
  }

  return { ctx, name, first, count }
}

/** Text values travel apart: few runs have many, and filtering them costs every record. */
async function readTexts(backend: Backend, sql: string, params: SqlValue[]): Promise<string[]> {
  const [row] = await backend.rows(sql, params)

  return JSON.parse(typeof row?.[0] === 'string' ? row[0] : '[]') as string[]
}

const textKinds: readonly Kind[] = [
  Kind.null,
  Kind.number,
  Kind.string,
  Kind.boolean,
  Kind.json,
  Kind.date,
  Kind.bigint,
  Kind.string,
]

function storeText(store: ValueStore, at: number, vtype: number, text: string): void {
  const kind = textKinds[vtype] ?? Kind.string

  if (kind === Kind.number) {
    // NaN and the infinities are stored as text; Number() reads all three.
    store.kinds[at] = Kind.number
    store.numbers[at] = Number(text)
  } else if (kind === Kind.boolean) {
    store.kinds[at] = Kind.boolean
    store.numbers[at] = text === 'true' || text === '1' ? 1 : 0
  } else if (kind === Kind.null) {
    store.kinds[at] = Kind.null
  } else {
    store.setText(at, kind, text)
  }
}

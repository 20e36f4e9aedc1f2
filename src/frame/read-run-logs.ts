import type { Backend } from '../store/backend.js'
import { packedNumberSql, parsePackedNumbers } from './packed-numbers.js'
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

const storageCode = `case typeof(value) when 'integer' then 1 when 'real' then 1 when 'text' then 2 else 0 end`

/**
 * Reads one run's records of `names` as one row of packed lists (see `packed-numbers.ts`):
 * a key per record holding its ctx, name, vtype and storage class, the numeric values,
 * and the text values as a JSON array.
 */
export async function readRunLogs(
  backend: Backend,
  runId: number,
  names: readonly string[],
  runLevelOnly: boolean,
  store: ValueStore,
): Promise<RunLogs> {
  const width = names.length
  const nameCode = `case name ${names.map((_, index) => `when ? then ${index}`).join(' ')} end`
  const placeholders = names.map(() => '?').join(', ')

  // `+name` keeps SQLite on the primary key, which yields records in `seq` order;
  // the name index would group them by name instead.
  const sql = `select count(*), group_concat(k), group_concat(n),
      json_group_array(t) filter (where t is not null)
    from (
      select (ifnull(ctx_id + 1, 0) * ${width} + ${nameCode}) * 32
          + (${vtypeCode}) * 4 + ${storageCode} as k,
        case when typeof(value) in ('integer', 'real') then ${packedNumberSql('value')} end as n,
        case when typeof(value) = 'text' then value end as t
      from logs
      where run_id = ? and +name in (${placeholders}) ${runLevelOnly ? 'and ctx_id is null' : ''}
      order by seq
    )`
  const [row] = await backend.rows(sql, [...names, runId, ...names])
  const count = Number(row?.[0] ?? 0)
  const keys = parsePackedNumbers(row?.[1], count)
  const ctx = new Float64Array(count)
  const name = new Int32Array(count)
  const storage = new Uint8Array(count)
  const vtypes = new Uint8Array(count)
  let numericCount = 0

  for (let index = 0; index < count; index++) {
    const key = keys[index] ?? 0
    const low = key % 32
    const rest = (key - low) / 32
    const nameIndex = rest % width

    storage[index] = low % 4
    vtypes[index] = low >> 2
    name[index] = nameIndex
    ctx[index] = (rest - nameIndex) / width - 1

    if (low % 4 === 1) numericCount++
  }

  const numbers = parsePackedNumbers(row?.[2], numericCount)
  const texts = JSON.parse(typeof row?.[3] === 'string' ? row[3] : '[]') as string[]
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

/**
 * The dataframe's own copy of each run's records, in columns: one `frame_columns` row per
 * run and logged name (see `NameColumns`) and one `frame_loops` row per run (see
 * `LoopColumns`), written by ingestion in the transaction that writes `logs` and `loops`.
 * They are an index for the dataframe only; the row tables stay the source of truth.
 */
export const columnTables: readonly string[] = [
  `create table frame_columns (
    run_id integer not null,
    name text not null,
    count integer not null,
    original integer not null,
    run_level_seq integer,
    seq blob not null,
    ctx blob not null,
    kinds blob,
    numbers blob not null,
    texts text,
    primary key (run_id, name)
  ) without rowid`,
  `create table frame_loops (
    run_id integer primary key,
    count integer not null,
    names text not null,
    ctx blob not null,
    parent blob not null,
    iteration blob not null,
    name blob not null,
    kinds blob not null,
    numbers blob not null,
    texts text
  )`,
]

/**
 * Rebuilds the column rows of run `runId`, or of every run, from the row tables: what a
 * store from before these tables gets on migration.
 * The bytes are the ones `NameColumns` and `LoopColumns` write, built with `printf` and
 * `unhex`; the texts are the same JSON, escaped SQLite's way.
 */
export function backfillColumnsSql(runId?: number): string[] {
  const where = runId === undefined ? 'true' : `run_id = ${Math.trunc(runId)}`

  return [
    `delete from frame_columns where ${where}`,
    `with ${float64Bits(`select *, ${logNumber} as n,
        case when k in (${kind.string}, ${kind.json}, ${kind.date}, ${kind.bigint})
          then cast(value as text) end as t
      from (select *, ${logKind} as k from logs where ${where})`)}
    insert into frame_columns
      (run_id, name, count, original, run_level_seq, seq, ctx, kinds, numbers, texts)
    select run_id, name, count(*), sum(replayed_from is null),
      min(case when ctx_id is null then seq end),
      unhex(group_concat(${int64Hex('seq')}, '' order by seq)),
      unhex(group_concat(${int64Hex('ifnull(ctx_id, -1)')}, '' order by seq)),
      case when min(k) = ${number} and max(k) = ${number} then null
        else unhex(group_concat(printf('%02x', k), '' order by seq)) end,
      unhex(group_concat(${int64Hex('bits')}, '' order by seq)),
      nullif(json_group_array(t order by seq) filter (where t is not null), '[]')
    from bits
    group by run_id, name`,
    `delete from frame_loops where ${where}`,
    `with codes as materialized (
      select run_id, name, row_number() over (partition by run_id order by min(ctx_id)) - 1
        as code
      from loops where ${where} group by run_id, name
    ), ${float64Bits(`select loops.*, codes.code,
        case when value is null then ${kind.null} when typeof(value) in ('integer', 'real')
          then ${kind.number} else ${kind.string} end as k,
        case when typeof(value) in ('integer', 'real') then cast(value as real) end as n
      from loops join codes using (run_id, name)
      where ${where}`)}
    insert into frame_loops
      (run_id, count, names, ctx, parent, iteration, name, kinds, numbers, texts)
    select run_id, count(*),
      (select json_group_array(name order by code) from codes where codes.run_id = bits.run_id),
      unhex(group_concat(${int64Hex('ctx_id')}, '' order by ctx_id)),
      unhex(group_concat(${int64Hex('ifnull(parent_ctx_id, -1)')}, '' order by ctx_id)),
      unhex(group_concat(${int64Hex('iteration')}, '' order by ctx_id)),
      unhex(group_concat(${int32Hex('code')}, '' order by ctx_id)),
      unhex(group_concat(printf('%02x', k), '' order by ctx_id)),
      unhex(group_concat(${int64Hex('bits')}, '' order by ctx_id)),
      nullif(json_group_array(value order by ctx_id) filter (where k = ${kind.string}), '[]')
    from bits
    group by run_id`,
  ]
}

// Kinds as in `value-store.ts`; spelled out here because the migration is plain SQL.
const kind = { null: 0, number: 1, string: 2, boolean: 3, json: 4, date: 5, bigint: 6 }
const number = kind.number

const logKind = `case
  when typeof(value) in ('integer', 'real') then iif(vtype = 'boolean', ${kind.boolean}, ${number})
  when value is null or vtype = 'null' then ${kind.null}
  else case vtype when 'number' then ${number} when 'boolean' then ${kind.boolean}
    when 'json' then ${kind.json} when 'date' then ${kind.date} when 'bigint' then ${kind.bigint}
    else ${kind.string} end
  end`

// A number stored as text is NaN or an infinity: `n` stays null and `bits` says which.
const logNumber = `case
  when typeof(value) in ('integer', 'real') then cast(value as real)
  when typeof(value) = 'text' and vtype = 'boolean' then iif(value in ('true', '1'), 1.0, 0.0)
  end`

// Least significant byte first. Shifts are arithmetic, so negative ids keep their sign bits.
const littleEndianHex = (value: string, bytes: number): string =>
  `printf('${'%02x'.repeat(bytes)}', ${Array.from(
    { length: bytes },
    (_, byte) => `(${value} >> ${8 * byte}) & 255`,
  ).join(', ')})`

const int64Hex = (value: string): string => littleEndianHex(value, 8)
const int32Hex = (value: string): string => littleEndianHex(value, 4)

/**
 * Common table expressions ending in `bits`: the rows of `source` (which sets `n`, a
 * real or null, and `k`, its kind) with `bits`, the IEEE 754 bits of `n` as an int64.
 * The exponent comes from log2 and is corrected by one either way; scaling by powers of
 * two is exact, and splitting the scale in two keeps every step inside the normal range.
 * Each step is materialized: SQLite would otherwise inline `e` and `a` into every use,
 * evaluating log2 and power a dozen times a row.
 */
function float64Bits(source: string): string {
  const sign = 'iif(n < 0 or (n = 0 and atan2(n, -1) < 0), 1 << 63, 0)'
  const special = `case when k = ${number} and typeof(value) = 'text' then case value
      when 'Infinity' then 0x7ff0000000000000 when '-Infinity' then 0xfff0000000000000
      else 0x7ff8000000000000 end else 0 end`

  return `typed as materialized (
      select *, abs(n) as a, cast(log2(nullif(abs(n), 0)) as integer) as e0
      from (${source})
    ), scaled as materialized (
      select *, e0 - (a < power(2, e0)) + (a >= power(2, e0 + 1)) as e from typed
    ), bits as materialized (
      select *, case
        when n is null then ${special}
        when a = 0 then ${sign}
        when a > 1.7976931348623157e308 then 0x7ff0000000000000 | ${sign}
        when a < 2.2250738585072014e-308
          then cast(a * power(2, 537) * power(2, 537) as integer) | ${sign}
        else ((e + 1023) << 52) | (cast(a * power(2, (52 - e) / 2) * power(2, 52 - e - (52 - e) / 2)
          as integer) - (1 << 52)) | ${sign}
        end as bits
      from scaled
    )`
}

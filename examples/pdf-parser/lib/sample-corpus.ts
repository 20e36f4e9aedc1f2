import type { Random } from './random.js'

/** The five standard PDF fonts the samples use; no font file is needed to write or read them. */
export type FontName = 'sans' | 'sansBold' | 'serif' | 'serifBold' | 'mono'

export interface Block {
  readonly text: string
  readonly font: FontName
  readonly size: number
  readonly align?: 'left' | 'center' | 'right'
  /** Extra space above the block, in points. */
  readonly gap?: number
}

/** How one kind of document looks: what opens it, what fills it, what runs on every page. */
export interface DocumentStyle {
  readonly kind: string
  readonly opening: readonly Block[]
  readonly body: () => Block
  readonly closing: readonly Block[]
  readonly header?: (page: number, pages: number) => Block | undefined
  readonly footer?: (page: number, pages: number) => Block | undefined
}

const FIRST = ['Jermaine', 'Alicia', 'Marcus', 'Dana', 'Priya', 'Victor', 'Helen', 'Omar', 'Rosa']
const LAST = ['Lyons', 'Martin', 'Okafor', 'Brennan', 'Castillo', 'Nguyen', 'Whitaker', 'Reyes']
const COUNTIES = [
  'Baltimore County',
  'Prince George County',
  'Howard County',
  'Anne Arundel County',
]
const ORGS = ['Harbor Point Housing Trust', 'Eastside Legal Aid', 'Calloway Plumbing Supply']
const STREETS = ['Paddock Lane', 'Menlo Avenue', 'Cedar Street', 'Ridgeview Road', 'Fulton Way']
const MONTHS = ['January', 'March', 'April', 'June', 'July', 'September', 'November']
const COUNTS = ['ONE', 'TWO', 'THREE', 'FOUR', 'FIVE', 'SIX']
const CLAIMS = ['FALSE ARREST', 'EXCESSIVE FORCE', 'MALICIOUS PROSECUTION', 'NEGLIGENCE']

const LEGAL = [
  'Plaintiff incorporates the allegations of the preceding paragraphs as if fully set forth herein.',
  'At all times relevant to this Complaint, the Defendants acted under color of state law.',
  'The arrest was made without a warrant and without probable cause to believe an offense occurred.',
  'As a direct and proximate result, Plaintiff suffered loss of liberty, humiliation and expense.',
  'Defendant officers failed to intervene although they had a realistic opportunity to do so.',
  'No reasonable officer could have believed that the force used was lawful under the circumstances.',
  'Plaintiff was held for several hours before being released without any charge being filed.',
  'The Department knew of prior complaints and failed to supervise or discipline the officers.',
]
const LETTER = [
  'Thank you for your letter regarding the account and for the documents you enclosed with it.',
  'We have reviewed the file and confirmed that the balance shown on the last statement is correct.',
  'Please note that the inspection has been rescheduled to the first week of the coming month.',
  'If you have any questions, our office is open on weekdays between nine and five.',
  'We would be grateful if you could return the signed form in the envelope provided.',
  'Our records show that the repairs requested in your previous letter were completed on time.',
  'A copy of this letter has been sent to the property manager for their records.',
]
const MINUTES = [
  'The motion was made, seconded and carried by a voice vote with one member abstaining.',
  'The treasurer reported that expenses for the quarter remained within the approved budget.',
  'Members discussed the proposal at length and asked staff to return with revised figures.',
  'Public comment was received from two residents concerning parking on the east side.',
  'The chair noted that the next regular meeting will be held in the community room.',
  'Staff presented the annual report and answered questions from the members present.',
]
const REPORT = [
  'At the scene the investigator observed a rear door standing open and no sign of forced entry.',
  'The witness stated that she heard two voices shortly before the lights went out in the hallway.',
  'Photographs of the kitchen and the rear stairwell were taken and entered into evidence.',
  'A canvass of the block produced no further witnesses who saw the vehicle leave the area.',
  'The victim was transported to the hospital and later released in stable condition.',
  'Latent prints were lifted from the window frame and submitted to the laboratory for analysis.',
]
const MEMO = [
  'This memo summarises the changes to the reimbursement policy that take effect next quarter.',
  'Managers should review pending requests and approve or return them before the end of the month.',
  'The revised form replaces all earlier versions, which will no longer be accepted by payroll.',
  'Questions about eligibility should be directed to the finance office rather than to payroll.',
  'Teams that travel frequently are asked to consolidate their bookings through the new portal.',
]
const ITEMS = [
  'Copper pipe 3/4 in.',
  'Ball valve 1 in.',
  'PVC elbow 90 deg',
  'Pipe sealant',
  'Labor',
]
const AGENDA = [
  'Call to Order',
  'Approval of Minutes',
  'Treasurer Report',
  'Old Business',
  'New Business',
]

const person = (random: Random): string => `${random.pick(FIRST)} ${random.pick(LAST)}`

const date = (random: Random): string =>
  `${random.pick(MONTHS)} ${random.int(1, 28)}, ${random.int(2019, 2024)}`

const paragraph = (random: Random, sentences: readonly string[], count: number): string =>
  random.shuffle(sentences).slice(0, count).join(' ')

const text = (font: FontName, size: number, value: string, more: Partial<Block> = {}): Block => ({
  text: value,
  font,
  size,
  ...more,
})

const complaint = (random: Random): DocumentStyle => {
  const plaintiff = person(random).toUpperCase()
  let paragraphNo = 0
  let countNo = 0

  return {
    kind: 'complaint',
    opening: [
      text('serifBold', 12, `IN THE CIRCUIT COURT FOR ${random.pick(COUNTIES).toUpperCase()}`, {
        align: 'center',
      }),
      text('serif', 11, `${plaintiff}, ${random.int(100, 9999)} ${random.pick(STREETS)}`, {
        gap: 16,
      }),
      text('serif', 11, `Plaintiff, v. ${person(random)}, et al., Defendants.`),
      text('serif', 11, `Case No. C-${random.int(10, 24)}-CV-${random.int(10000, 99999)}`),
      text('serifBold', 14, 'COMPLAINT AND PRAYER FOR JURY TRIAL', { align: 'center', gap: 18 }),
    ],
    body: () => {
      if (paragraphNo > 0 && paragraphNo % 3 === 0 && countNo < COUNTS.length) {
        paragraphNo++

        return text('serifBold', 12, `COUNT ${COUNTS[countNo++]} - ${random.pick(CLAIMS)}`, {
          align: 'center',
          gap: 14,
        })
      }

      paragraphNo++

      return text('serif', 11, `${paragraphNo}. ${paragraph(random, LEGAL, 2)}`, { gap: 6 })
    },
    closing: [
      text('serif', 11, 'WHEREFORE, Plaintiff demands judgment and a trial by jury.', { gap: 12 }),
      text('serif', 11, `Respectfully submitted, ${person(random)}, Attorney for Plaintiff`),
    ],
    footer: (page, pages) => text('serif', 9, `Page ${page} of ${pages}`, { align: 'center' }),
  }
}

const letter = (random: Random): DocumentStyle => {
  const org = random.pick(ORGS)
  const recipient = person(random)
  const sent = date(random)

  return {
    kind: 'letter',
    opening: [
      text('sansBold', 16, org),
      text(
        'sans',
        9,
        `${random.int(100, 999)} ${random.pick(STREETS)}, Baltimore, MD 212${random.int(10, 99)}`,
      ),
      text('sans', 11, sent, { gap: 22 }),
      text('sans', 11, recipient, { gap: 12 }),
      text('sans', 11, `${random.int(100, 9999)} ${random.pick(STREETS)}`),
      text('sans', 11, `Dear ${recipient.split(' ')[0]}:`, { gap: 16 }),
    ],
    body: () => text('sans', 11, paragraph(random, LETTER, 3), { gap: 10 }),
    closing: [
      text('sans', 11, 'Sincerely,', { gap: 16 }),
      text('sans', 11, `${person(random)}, ${org}`, { gap: 20 }),
    ],
    // Continuation pages of a letter carry a short running head instead of a footer.
    header: (page) =>
      page > 1 ? text('sans', 9, `${recipient} - ${sent} - Page ${page}`) : undefined,
  }
}

const invoice = (random: Random): DocumentStyle => {
  let line = 0

  return {
    kind: 'invoice',
    opening: [
      text('sansBold', 24, 'INVOICE', { align: 'right' }),
      text('sansBold', 12, random.pick(ORGS)),
      text('sans', 10, `Invoice No. INV-${random.int(1000, 9999)}    Date: ${date(random)}`),
      text(
        'sans',
        10,
        `Bill to: ${person(random)}, ${random.int(100, 999)} ${random.pick(STREETS)}`,
      ),
      text('mono', 10, 'ITEM                          QTY      AMOUNT', { gap: 18 }),
    ],
    body: () => {
      line++

      const item = random.pick(ITEMS).padEnd(30, ' ')
      const qty = String(random.int(1, 12)).padStart(3, ' ')
      const amount = (random.int(500, 90000) / 100).toFixed(2).padStart(12, ' ')

      return text('mono', 10, `${String(line).padStart(2, '0')} ${item}${qty}${amount}`, { gap: 4 })
    },
    closing: [
      text(
        'sansBold',
        11,
        `Total due within 30 days: $${(random.int(10000, 900000) / 100).toFixed(2)}`,
        {
          gap: 14,
        },
      ),
    ],
    footer: (page, pages) => text('sans', 9, `Page ${page}/${pages}`, { align: 'right' }),
  }
}

const minutes = (random: Random): DocumentStyle => {
  let item = 0

  return {
    kind: 'minutes',
    opening: [
      text('sansBold', 15, 'MINUTES OF THE REGULAR MEETING', { align: 'center' }),
      text('sans', 12, `Board of ${random.pick(['Trustees', 'Directors', 'Zoning Appeals'])}`, {
        align: 'center',
      }),
      text('sans', 11, date(random), { align: 'center' }),
      text('sans', 11, `Present: ${person(random)}, ${person(random)}, ${person(random)}`, {
        gap: 14,
      }),
    ],
    body: () => {
      const heading = item % 2 === 0
      const n = Math.floor(item / 2) + 1

      item++

      return heading
        ? text('sansBold', 12, `${n}. ${AGENDA[(n - 1) % AGENDA.length]}`, { gap: 12 })
        : text('sans', 11, paragraph(random, MINUTES, 2), { gap: 4 })
    },
    closing: [text('sans', 11, 'The meeting was adjourned.', { gap: 12 })],
    footer: (page) => text('sans', 10, `- ${page} -`, { align: 'center' }),
  }
}

const report = (random: Random): DocumentStyle => {
  const caseNo = `Case: 20-0${random.int(10000, 99999)}`

  return {
    kind: 'report',
    opening: [
      text('sansBold', 14, 'SUPPLEMENTAL INVESTIGATION REPORT', { gap: 6 }),
      text('sans', 10, `Reporting investigator: ${person(random)}    Date: ${date(random)}`),
      text('sans', 10, `Location: ${random.int(100, 9999)} ${random.pick(STREETS)}`),
    ],
    body: () => text('sans', 11, paragraph(random, REPORT, 3), { gap: 10 }),
    closing: [text('sans', 10, 'End of report.', { gap: 12 })],
    // Every page, the first included, repeats the case number at its top.
    header: () => text('mono', 9, `Investigator's Report - Crime Scene - ${caseNo}`),
    footer: (page) => text('sans', 9, `Page ${page}`, { align: 'right' }),
  }
}

const memo = (random: Random): DocumentStyle => ({
  kind: 'memo',
  opening: [
    text('sansBold', 20, 'MEMORANDUM'),
    text('sans', 11, `TO: All department managers`, { gap: 10 }),
    text('sans', 11, `FROM: ${person(random)}, Finance Office`),
    text('sans', 11, `DATE: ${date(random)}`),
    text('sans', 11, 'RE: Changes to the reimbursement policy'),
  ],
  body: () => text('sans', 11, paragraph(random, MEMO, 3), { gap: 10 }),
  closing: [],
  footer: (page) => (page > 1 ? text('sans', 10, String(page), { align: 'center' }) : undefined),
})

export const STYLES = { complaint, letter, invoice, minutes, report, memo } as const

export type DocumentKind = keyof typeof STYLES

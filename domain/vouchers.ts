// 电子培训券 (issue 16 point 2): a voucher programme is policy data — the occupations and levels it pays for, the
// categories of people it is for, the institutions it may be used at (none named: any), the days it is valid, how
// many vouchers it may issue and the fund it draws on. The bureau issues a voucher to an eligible person; the
// person claims it; enrolment reserves it (with the person's training subsidy); the paid line redeems it;
// withdrawal, a failed assessment or an ended class releases it (back to claimed, or expired when its days are
// over). A voucher is redeemed once: every change below starts from exactly one status.
import { z } from 'zod';
import { TraineeCategorySchema, type TraineeCategory } from './categories';
import { isIsoDate } from './dates';
import { LevelSchema, type Level } from './occupations';
import { violation, type RuleViolation } from './rules';

export const VOUCHER_STATUSES = ['ISSUED', 'CLAIMED', 'RESERVED', 'REDEEMED', 'EXPIRED'] as const;
export type VoucherStatus = (typeof VOUCHER_STATUSES)[number];

const isoDate = z.string().refine(isIsoDate, { message: '日期格式须为YYYY-MM-DD | a date YYYY-MM-DD' });

export const VoucherProgrammeSchema = z
  .strictObject({
    name: z.string().trim().min(2).max(60),
    occupationCodes: z
      .array(z.string().regex(/^\d-\d{2}-\d{2}-\d{2}$/))
      .min(1)
      .max(50),
    levels: z.array(LevelSchema).min(1).max(6),
    categories: z.array(TraineeCategorySchema).min(1).max(10),
    /** the institutions it may be used at; empty: any institution of the city */
    institutionIds: z.array(z.string().min(1).max(64)).max(200),
    validFrom: isoDate,
    validUntil: isoDate,
    quantity: z.number().int().min(1).max(1_000_000),
    fundingChannel: z.string().min(1).max(60),
  })
  .refine((p) => p.validFrom <= p.validUntil, {
    message: '有效期截止日不得早于起始日 | validUntil must not be before validFrom',
    path: ['validUntil'],
  });
export type VoucherProgramme = z.infer<typeof VoucherProgrammeSchema>;

/** Why this person may not be issued a voucher of the programme (none: they may). */
export function issueVerdict(
  programme: Pick<VoucherProgramme, 'categories' | 'validUntil' | 'quantity'>,
  person: { category: TraineeCategory | string; holds: boolean },
  today: string,
  issuedSoFar: number,
): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (today > programme.validUntil)
    out.push(violation('VOUCHER_PROGRAMME_ENDED', '培训券项目已过有效期', 'The programme has ended'));
  if (!programme.categories.includes(person.category as TraineeCategory))
    out.push(
      violation(
        'VOUCHER_CATEGORY',
        '该人员的人员类别不在本项目发放范围内',
        'The person’s category is not one this programme is for',
        'category',
      ),
    );
  if (person.holds)
    out.push(
      violation('VOUCHER_HELD', '该人员已持有本项目的培训券', 'The person already holds a voucher of it'),
    );
  if (issuedSoFar >= programme.quantity)
    out.push(
      violation('VOUCHER_QUANTITY', '本项目培训券已发完', 'Every voucher of the programme has been issued'),
    );
  return out;
}

/** The class a voucher is to pay for: what enrolment knows of it. */
export interface VoucherSlot {
  occupationCode: string;
  level: Level;
  institutionId: string;
  /** the day of the enrolment */
  onDate: string;
}

/** Why this claimed voucher cannot pay for the class (none: it can). */
export function usableFor(
  programme: Pick<
    VoucherProgramme,
    'occupationCodes' | 'levels' | 'institutionIds' | 'validFrom' | 'validUntil'
  >,
  slot: VoucherSlot,
): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (!programme.occupationCodes.includes(slot.occupationCode) || !programme.levels.includes(slot.level))
    out.push(
      violation(
        'VOUCHER_OCCUPATION',
        '培训券不适用于本班的职业（工种）或等级',
        'Not for this occupation or level',
      ),
    );
  if (programme.institutionIds.length && !programme.institutionIds.includes(slot.institutionId))
    out.push(violation('VOUCHER_INSTITUTION', '培训券不能在本机构使用', 'Not usable at this institution'));
  if (slot.onDate < programme.validFrom || slot.onDate > programme.validUntil)
    out.push(violation('VOUCHER_NOT_VALID', '培训券不在有效期内', 'Outside the voucher’s validity'));
  return out;
}

/** A voucher a person holds, as enrolment sees it. */
export interface HeldVoucher {
  id: string;
  programmeId: string;
  status: string;
  enrollmentId: string | null;
}

/**
 * The voucher an enrolment takes: the one already reserved for this very enrolment (a retried reservation), else
 * the person's claimed voucher that can pay for the class, the one whose days end first (then by id); with
 * `required`, none is a refusal (VOUCHER_REQUIRED). `held` is the person's vouchers.
 */
export function voucherForEnrolment<V extends HeldVoucher>(
  held: readonly V[],
  programmes: ReadonlyMap<string, Parameters<typeof usableFor>[0]>,
  slot: VoucherSlot,
  enrolment: { enrollmentId: string; required: boolean },
): { voucher?: V; violations: RuleViolation[] } {
  const again = held.find((v) => v.status === 'RESERVED' && v.enrollmentId === enrolment.enrollmentId);
  if (again) return { voucher: again, violations: [] };
  const usable = held
    .filter((v) => v.status === 'CLAIMED')
    .flatMap((v) => {
      const p = programmes.get(v.programmeId);
      return p && usableFor(p, slot).length === 0 ? [{ v, until: p.validUntil }] : [];
    })
    .sort((x, y) => x.until.localeCompare(y.until) || x.v.id.localeCompare(y.v.id));
  if (usable[0]) return { voucher: usable[0].v, violations: [] };
  return {
    violations: enrolment.required
      ? [
          violation(
            'VOUCHER_REQUIRED',
            '本班凭培训券报名：该学员没有已领取、可在本班使用的培训券',
            'This class enrols with a training voucher: the person holds no claimed voucher usable here',
            'voucher',
          ),
        ]
      : [],
  };
}

/** What happens to a voucher. */
export type VoucherEvent = 'CLAIM' | 'RESERVE' | 'RELEASE' | 'REDEEM' | 'EXPIRE';

/**
 * The voucher's next status, or undefined when the event does not apply to it (a second redemption, a claim of
 * an expired voucher, …). `ended`: its programme's last day has passed. A reserved voucher outlives its days:
 * the enrolment was made in time; released after them, it expires.
 */
export function nextVoucherStatus(
  status: VoucherStatus,
  event: VoucherEvent,
  ended: boolean,
): VoucherStatus | undefined {
  switch (event) {
    case 'CLAIM':
      return status === 'ISSUED' && !ended ? 'CLAIMED' : undefined;
    case 'RESERVE':
      return status === 'CLAIMED' && !ended ? 'RESERVED' : undefined;
    case 'RELEASE':
      return status === 'RESERVED' ? (ended ? 'EXPIRED' : 'CLAIMED') : undefined;
    case 'REDEEM':
      return status === 'RESERVED' ? 'REDEEMED' : undefined;
    case 'EXPIRE':
      return (status === 'ISSUED' || status === 'CLAIMED') && ended ? 'EXPIRED' : undefined;
  }
}

/** The statuses an event moves a voucher from (the `where` of the update that applies it). */
export function fromStatuses(event: VoucherEvent): VoucherStatus[] {
  return VOUCHER_STATUSES.filter(
    (s) =>
      nextVoucherStatus(s, event, false) !== undefined || nextVoucherStatus(s, event, true) !== undefined,
  );
}

export const VOUCHER_STATUS_NAMES: Record<VoucherStatus, { zh: string; en: string }> = {
  ISSUED: { zh: '已发放', en: 'Issued' },
  CLAIMED: { zh: '已领取', en: 'Claimed' },
  RESERVED: { zh: '已占用', en: 'Reserved' },
  REDEEMED: { zh: '已兑付', en: 'Redeemed' },
  EXPIRED: { zh: '已过期', en: 'Expired' },
};

/** A programme as the read model stores it (its lists as JSON text), with its lists read. */
export function programmeOf<
  T extends { occupationCodes: string; levels: string; categories: string; institutionIds: string },
>(row: T) {
  return {
    ...row,
    occupationCodes: JSON.parse(row.occupationCodes) as string[],
    levels: JSON.parse(row.levels) as Level[],
    categories: JSON.parse(row.categories) as TraineeCategory[],
    institutionIds: JSON.parse(row.institutionIds) as string[],
  };
}

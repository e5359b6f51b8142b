// 电子培训券 (issue 16 point 2): a voucher's life as a rule — claimed once, reserved once, redeemed once, expired when
// its days are over unless an enrolment holds it — and which voucher may pay for which class.
import fc from 'fast-check';
import {
  fromStatuses,
  issueVerdict,
  nextVoucherStatus,
  programmeOf,
  usableFor,
  voucherForEnrolment,
  VOUCHER_STATUSES,
  VoucherProgrammeSchema,
  type VoucherEvent,
  type VoucherSlot,
  type VoucherStatus,
} from '../../../domain/vouchers';

const EVENTS: VoucherEvent[] = ['CLAIM', 'RESERVE', 'RELEASE', 'REDEEM', 'EXPIRE'];
const programme = {
  name: '烹饪培训券',
  occupationCodes: ['4-03-02-01', '4-03-02-02'],
  levels: ['LEVEL_5' as const],
  categories: ['REGISTERED_UNEMPLOYED' as const],
  institutionIds: ['inst-sjz-01'],
  validFrom: '2026-03-01',
  validUntil: '2026-06-30',
  quantity: 100,
  fundingChannel: 'EMPLOYMENT_SUBSIDY_FUND',
};
const slot: VoucherSlot = {
  occupationCode: '4-03-02-01',
  level: 'LEVEL_5',
  institutionId: 'inst-sjz-01',
  onDate: '2026-04-01',
};

describe('a voucher’s life', () => {
  it('goes issued → claimed → reserved → redeemed while its programme lasts', () => {
    expect(nextVoucherStatus('ISSUED', 'CLAIM', false)).toBe('CLAIMED');
    expect(nextVoucherStatus('CLAIMED', 'RESERVE', false)).toBe('RESERVED');
    expect(nextVoucherStatus('RESERVED', 'REDEEM', false)).toBe('REDEEMED');
    expect(nextVoucherStatus('RESERVED', 'RELEASE', false)).toBe('CLAIMED');
  });

  it('cannot be claimed or reserved after its last day; a reserved one outlives it and expires when released', () => {
    expect(nextVoucherStatus('ISSUED', 'CLAIM', true)).toBeUndefined();
    expect(nextVoucherStatus('CLAIMED', 'RESERVE', true)).toBeUndefined();
    expect(nextVoucherStatus('ISSUED', 'EXPIRE', true)).toBe('EXPIRED');
    expect(nextVoucherStatus('CLAIMED', 'EXPIRE', true)).toBe('EXPIRED');
    expect(nextVoucherStatus('RESERVED', 'EXPIRE', true)).toBeUndefined();
    expect(nextVoucherStatus('RESERVED', 'REDEEM', true)).toBe('REDEEMED');
    expect(nextVoucherStatus('RESERVED', 'RELEASE', true)).toBe('EXPIRED');
    // nothing expires while the programme lasts
    for (const s of VOUCHER_STATUSES) expect(nextVoucherStatus(s, 'EXPIRE', false)).toBeUndefined();
  });

  it('whatever happens to it, in any order: redeemed at most once, and nothing moves a redeemed or expired voucher', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ event: fc.constantFrom(...EVENTS), ended: fc.boolean() }), { maxLength: 30 }),
        (steps) => {
          let status: VoucherStatus = 'ISSUED';
          let redemptions = 0;
          let claims = 0;
          let wasEnded = false;
          for (const step of steps) {
            const event = step.event;
            // time runs one way: once the programme has ended, it stays ended
            const ended: boolean = wasEnded || step.ended;
            wasEnded = ended;
            const next = nextVoucherStatus(status, event, ended);
            if (status === 'REDEEMED' || status === 'EXPIRED') expect(next).toBeUndefined();
            if (next === undefined) continue;
            // every change starts from a status its event names (the guard of the update that applies it)
            expect(fromStatuses(event)).toContain(status);
            if (next === 'REDEEMED') redemptions++;
            if (next === 'CLAIMED' && status === 'ISSUED') claims++;
            // after its last day a voucher is never newly claimed or reserved
            if (ended) expect(event === 'CLAIM' || event === 'RESERVE').toBe(false);
            status = next;
          }
          expect(redemptions).toBeLessThanOrEqual(1);
          expect(claims).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('names the statuses each event moves a voucher from', () => {
    expect(fromStatuses('CLAIM')).toEqual(['ISSUED']);
    expect(fromStatuses('RESERVE')).toEqual(['CLAIMED']);
    expect(fromStatuses('RELEASE')).toEqual(['RESERVED']);
    expect(fromStatuses('REDEEM')).toEqual(['RESERVED']);
    expect(fromStatuses('EXPIRE')).toEqual(['ISSUED', 'CLAIMED']);
  });
});

describe('which class a voucher pays for', () => {
  it('one of its occupations and levels, at one of its institutions, within its days', () => {
    expect(usableFor(programme, slot)).toEqual([]);
    const codes = (s: Partial<typeof slot>) => usableFor(programme, { ...slot, ...s }).map((v) => v.code);
    expect(codes({ occupationCode: '6-31-01-03' })).toEqual(['VOUCHER_OCCUPATION']);
    expect(codes({ level: 'LEVEL_4' })).toEqual(['VOUCHER_OCCUPATION']);
    expect(codes({ institutionId: 'inst-sjz-02' })).toEqual(['VOUCHER_INSTITUTION']);
    expect(codes({ onDate: '2026-02-28' })).toEqual(['VOUCHER_NOT_VALID']);
    expect(codes({ onDate: '2026-06-30' })).toEqual([]);
    expect(codes({ onDate: '2026-07-01' })).toEqual(['VOUCHER_NOT_VALID']);
    // no institutions named: any
    expect(
      usableFor({ ...programme, institutionIds: [] }, { ...slot, institutionId: 'inst-anywhere' }),
    ).toEqual([]);
  });
});

describe('which voucher an enrolment takes', () => {
  const programmes = new Map([
    ['VP-LATE', { ...programme, validUntil: '2026-09-30' }],
    ['VP-SOON', { ...programme, validUntil: '2026-05-31' }],
    ['VP-ELSEWHERE', { ...programme, institutionIds: ['inst-sjz-02'] }],
  ]);
  const held = (id: string, programmeId: string, status = 'CLAIMED', enrollmentId: string | null = null) => ({
    id,
    programmeId,
    status,
    enrollmentId,
  });
  const take = (vouchers: ReturnType<typeof held>[], required = false) =>
    voucherForEnrolment(vouchers, programmes, slot, { enrollmentId: 'E1', required });

  it('the claimed one usable here whose days end first', () => {
    const r = take([held('TV-a', 'VP-LATE'), held('TV-b', 'VP-ELSEWHERE'), held('TV-c', 'VP-SOON')]);
    expect(r).toEqual({ voucher: held('TV-c', 'VP-SOON'), violations: [] });
  });

  it('the one already reserved for this enrolment when the reservation runs again', () => {
    const mine = held('TV-r', 'VP-LATE', 'RESERVED', 'E1');
    expect(take([held('TV-c', 'VP-SOON'), mine]).voucher).toBe(mine);
    // reserved for another enrolment, or only issued (not claimed): not usable
    expect(
      take([held('TV-x', 'VP-SOON', 'RESERVED', 'E2'), held('TV-i', 'VP-SOON', 'ISSUED')]).voucher,
    ).toBeUndefined();
  });

  it('none: a refusal only when the roster requires a voucher', () => {
    expect(take([held('TV-b', 'VP-ELSEWHERE')])).toEqual({ violations: [] });
    expect(take([held('TV-b', 'VP-ELSEWHERE')], true).violations.map((v) => [v.code, v.field])).toEqual([
      ['VOUCHER_REQUIRED', 'voucher'],
    ]);
  });
});

describe('who may be issued one', () => {
  it('a person of its categories who holds none, while it lasts and has vouchers left', () => {
    const ok = { category: 'REGISTERED_UNEMPLOYED', holds: false };
    expect(issueVerdict(programme, ok, '2026-04-01', 0)).toEqual([]);
    const codes = (p: Partial<typeof ok>, today = '2026-04-01', issued = 0) =>
      issueVerdict(programme, { ...ok, ...p }, today, issued).map((v) => v.code);
    expect(codes({ category: 'RURAL_MIGRANT' })).toEqual(['VOUCHER_CATEGORY']);
    expect(codes({ holds: true })).toEqual(['VOUCHER_HELD']);
    expect(codes({}, '2026-07-01')).toEqual(['VOUCHER_PROGRAMME_ENDED']);
    expect(codes({}, '2026-04-01', 99)).toEqual([]);
    expect(codes({}, '2026-04-01', 100)).toEqual(['VOUCHER_QUANTITY']);
  });

  it('is set up with a last day no earlier than its first, and read back from the read model as it was', () => {
    expect(VoucherProgrammeSchema.safeParse(programme).success).toBe(true);
    const backwards = VoucherProgrammeSchema.safeParse({ ...programme, validUntil: '2026-02-01' });
    expect(backwards.success).toBe(false);
    expect(backwards.error?.issues[0]?.path).toEqual(['validUntil']);
    expect(VoucherProgrammeSchema.safeParse({ ...programme, occupationCodes: [] }).success).toBe(false);
    const row = {
      id: 'VP-1',
      occupationCodes: JSON.stringify(programme.occupationCodes),
      levels: JSON.stringify(programme.levels),
      categories: JSON.stringify(programme.categories),
      institutionIds: '[]',
    };
    expect(programmeOf(row)).toEqual({
      id: 'VP-1',
      occupationCodes: programme.occupationCodes,
      levels: programme.levels,
      categories: programme.categories,
      institutionIds: [],
    });
  });
});

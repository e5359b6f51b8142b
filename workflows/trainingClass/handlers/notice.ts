// 公示 and 拨付: objections to a notice line, their resolution, finance's approval of a payment batch.
import { patched } from '@temporalio/workflow';
import { forbiddenActor, reasonRequired } from '../../../domain/classRules';
import { violation } from '../../../domain/rules';
import { isTier, tierPct } from '../../../domain/subsidy';
import { enforce } from '../../refuse';
import { workflowNowIso } from '../../clock';
import * as m from '../../messages';
import type { ClassCase } from '../context';
import { humanTask } from '../humanTask';
import { amountAt } from '../stages/subsidy';
import { checksOf, command } from './command';

export function noticeCommands(c: ClassCase) {
  const { s } = c;
  const { stageIs, open } = checksOf(c);

  /** An objection opens a caseworker task with its own clock (DOMAIN.md §8), tracked until it closes. */
  /** No objection to the line is still open and none upheld this round decided its fate. */
  const lineIsFree = (lineId: string) =>
    s.lines.find((l) => l.lineId === lineId)?.status !== 'REMOVED' &&
    !c.correctedLines.has(lineId) &&
    !s.objections.some((x) => x.lineId === lineId && x.status === 'OPEN');

  const resolveObjectionTask = (objectionId: string) =>
    humanTask(
      c,
      {
        kind: 'RESOLVE_OBJECTION',
        role: 'CASEWORKER',
        subject: objectionId,
        from: workflowNowIso(),
        rule: 'WORKING_DAYS',
        n: c.policy.deadlines.objectionWorkingDays,
      },
      () => s.objections.find((o) => o.objectionId === objectionId)?.status !== 'OPEN',
      { main: false, abortable: false },
    );

  command(
    c,
    m.raiseObjectionUpdate,
    ({ lineId, objectionId, reason }) => {
      const line = s.lines.find((l) => l.lineId === lineId);
      enforce(
        stageIs('NOTICE'),
        c.noticeOpen
          ? undefined
          : violation('NOTICE_CLOSED', '公示期已结束', 'The public notice has closed', 'lineId'),
        !line || line.noticeRound !== s.noticeRound || line.kind !== 'TRAINING'
          ? violation('UNKNOWN_LINE', '公示名单中无此条目', 'No such line on the notice', 'lineId')
          : undefined,
        // An upheld objection took the line off the list: there is nothing left to object to (and holding it
        // again would let a later decision pay it).
        line?.status === 'REMOVED'
          ? violation(
              'LINE_REMOVED',
              '该条目已被移出公示名单',
              'This line was removed from the notice',
              'lineId',
            )
          : undefined,
        s.objections.some((o) => o.objectionId === objectionId)
          ? violation('DUPLICATE_OBJECTION', '异议编号重复', 'Duplicate objection id', 'objectionId')
          : undefined,
        reasonRequired(reason, '请填写异议理由', 'Give a reason for the objection'),
      );
    },
    async ({ actor, objectionId, lineId, reason, contactEnc }) => {
      const line = s.lines.find((l) => l.lineId === lineId)!;
      line.status = 'HELD';
      s.objections.push({ objectionId, lineId, status: 'OPEN' });
      await c.emit('OBJECTION_RAISED', actor.userId, {
        lines: [line],
        objections: [
          {
            id: objectionId,
            noticeId: c.noticeId(s.noticeRound),
            lineId,
            reason,
            contactEnc,
            status: 'OPEN',
          },
        ],
      });
      c.track(resolveObjectionTask(objectionId));
      return { objectionId };
    },
  );

  command(
    c,
    m.resolveObjectionUpdate,
    ({ actor, objectionId, resolution }) => {
      const o = s.objections.find((x) => x.objectionId === objectionId);
      enforce(
        forbiddenActor(actor.role === 'CASEWORKER'),
        !o || o.status !== 'OPEN'
          ? violation('UNKNOWN_OBJECTION', '无此待处理异议', 'No such open objection', 'objectionId')
          : undefined,
        resolution.upheld && resolution.action === 'CORRECT' && !isTier(resolution.tier)
          ? violation('UNKNOWN_TIER', '无此补贴档次', 'Unknown tier', 'resolution.tier')
          : undefined,
        // Another objection to the same line already removed it from the list: nothing is left to correct.
        resolution.upheld &&
          resolution.action === 'CORRECT' &&
          s.lines.find((l) => l.lineId === o?.lineId)?.status === 'REMOVED'
          ? violation(
              'LINE_REMOVED',
              '该条目已因其他异议被移出名单，不能再更正',
              'Another objection already removed this line; it cannot be corrected',
              'resolution.action',
            )
          : undefined,
        reasonRequired(
          resolution.note,
          '请填写处理意见',
          'Give the reason for the decision',
          'resolution.note',
        ),
      );
    },
    async ({ actor, objectionId, resolution }) => {
      const o = s.objections.find((x) => x.objectionId === objectionId)!;
      const line = s.lines.find((l) => l.lineId === o.lineId)!;
      o.status = resolution.upheld ? 'UPHELD' : 'DISMISSED';
      const perLine = patched('objections-per-line-2026-12');
      if (!resolution.upheld) {
        // A line several people objected to stays held until the last objection is resolved, and a dismissal
        // never undoes what an upheld objection to the same line decided (removed, or corrected and noticed
        // again): otherwise the line is paid as it stood and again once corrected.
        if (!perLine || lineIsFree(line.lineId))
          line.status = c.noticeOpen && line.noticeRound === s.noticeRound ? 'NOTICED' : 'PAYABLE';
      } else if (resolution.action === 'REMOVE')
        Object.assign(line, { status: 'REMOVED', remark: resolution.note });
      else {
        const pct = tierPct(c.policy, resolution.tier);
        Object.assign(line, {
          tier: resolution.tier,
          pct,
          amountFen: amountAt(c, pct),
          status: 'HELD',
          remark: resolution.note,
          corrected: true,
        });
        c.correctedLines.add(line.lineId);
      }
      if (perLine && line.status === 'REMOVED') c.correctedLines.delete(line.lineId);
      await c.emit('OBJECTION_RESOLVED', actor.userId, {
        lines: [line],
        objections: [
          {
            id: objectionId,
            noticeId: c.noticeId(s.noticeRound),
            lineId: o.lineId,
            status: o.status,
            resolution: resolution.note,
          },
        ],
      });
    },
  );

  command(
    c,
    m.approvePaymentUpdate,
    ({ actor, batchId }) => {
      const b = s.batches.find((x) => x.batchId === batchId);
      enforce(
        forbiddenActor(actor.role === 'FINANCE'),
        // Approvals after a cancellation are refused: nothing more is paid for a cancelled class.
        open(),
        !b || !['AWAITING_APPROVAL', 'AWAITING_CORRECTION'].includes(b.status) || c.approvals.has(batchId)
          ? violation('UNKNOWN_BATCH', '无此待审批拨付批次', 'No such batch awaiting approval', 'batchId')
          : undefined,
      );
    },
    ({ actor, batchId }) => void c.approvals.set(batchId, actor),
  );
}

// 个人查询 (issue 16 point 1): a person sees their own lifelong training record without an account, after proving
// who they are — ID number and name, then a one-time code sent through the delivery channel (api/messages.ts; the
// simulator by default). The code lives 5 minutes and takes 5 tries; the session it opens lives 15 minutes; both are
// kept as hashes only. Whether a person is registered is never told: the code request answers alike either way
// (only the simulator, a demo's stand-in for the phone, shows the text it would have sent).
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Api } from '../http';
import type { AppDeps } from '../context';
import { isUniqueViolation } from '../../platform/db';
import { Limit, tooManyRequests, type Window } from '../limits';
import { Problem, problems, ruleProblem } from '../problem';
import {
  InvitationAnswered,
  PersonRecordSchema,
  SelfServiceCodeSent,
  SelfServiceOpened,
  SurveyAnswered,
  VoucherClaimed,
  VoucherStatusSchema,
} from '../responses';
import { todayInShanghai } from '../planContext';
import { nextVoucherStatus } from '../../domain/vouchers';
import { name as nameText, text } from '../schemas';
import { surveyState } from '../../domain/performance';
import { checkIdNumber, enrollmentsOf, personRecord } from '../personRecord';
import { decryptField, keyFromEnv, personKey } from '../../domain/pii';
import { normaliseName } from '../../domain/identity';
import { violation } from '../../domain/rules';

export const CODE_MINUTES = 5;
export const CODE_TRIES = 5;
export const SESSION_MINUTES = 15;
const MINUTE = 60_000;

/** Per client address and per person: codes cost the bureau an SMS each, and tries must not brute-force one. */
export const SELF_SERVICE_LIMITS: { codesPerClient: Window; codesPerPerson: Window; triesPerClient: Window } =
  {
    // A family or a service hall behind one address asks for several people's codes; thirty an hour is plenty.
    codesPerClient: { points: 30, seconds: 3600 },
    // One person: a code, a lost SMS, another — five an hour, then wait.
    codesPerPerson: { points: 5, seconds: 3600 },
    // Wrong codes from one address: each code takes 5 tries anyway; sixty an hour stops guessing across codes.
    triesPerClient: { points: 60, seconds: 3600 },
  };

const CodeBody = z.strictObject({ idNumber: z.string().max(64), name: nameText(60) });
const SessionBody = z.strictObject({ idNumber: z.string().max(64), code: z.string().max(12) });
const RecordBody = z.strictObject({ token: z.string().min(1).max(100) });
const score = z.number().int().min(1).max(5);
/** 学员满意度: three scores 1–5 (teaching, practical training, overall) and an optional comment. */
const SurveyBody = z.strictObject({
  token: z.string().min(1).max(100),
  enrollmentId: z.string().min(1).max(200),
  teaching: score,
  practice: score,
  overall: score,
  comment: text(500).optional(),
});

const sha = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000'), 'utf8').digest('hex');
const TOO_MANY = { zh: '请求验证码过于频繁', en: 'Too many codes asked for' };
const WRONG_CODE = {
  zh: '验证码不正确或已过期，请重新获取',
  en: 'The code is wrong or has expired; ask for a new one',
};

/** The registered name in clear, or '' when it cannot be read (then no name matches it). */
function nameOf(nameEnc: string, piiKey: string | undefined): string {
  try {
    return decryptField(nameEnc, keyFromEnv(piiKey, 'SKILLFLOW_PII_KEY'));
  } catch {
    return '';
  }
}

const EXPIRED = { zh: '查询已过期，请重新获取验证码', en: 'This look-up has expired; ask for a new code' };

/** The person a live self-service token stands for; 401 SELF_SERVICE_EXPIRED otherwise. */
async function personOfToken(deps: AppDeps, token: string) {
  const session = await deps.db.selfServiceSession.findUnique({ where: { tokenHash: sha(token) } });
  const person =
    session && session.expiresAt > new Date()
      ? await deps.db.person.findUnique({ where: { personKey: session.personKey } })
      : null;
  if (!person) throw new Problem(401, 'SELF_SERVICE_EXPIRED', EXPIRED);
  return person;
}

export function selfServiceRoutes(api: Api): void {
  const limits = SELF_SERVICE_LIMITS;
  const codesPerClient = new Limit('self:codes:client', limits.codesPerClient);
  const codesPerPerson = new Limit('self:codes:person', limits.codesPerPerson);
  const triesPerClient = new Limit('self:tries:client', limits.triesPerClient);

  api.post(
    '/public/me/code',
    {
      tag: 'public',
      summary: '获取验证码 Ask for a one-time code to see one’s own training record',
      description: `With the ID number and the name as registered, a ${CODE_MINUTES}-minute code goes to the person through the delivery channel. The answer is the same whether or not the person is registered; the simulated channel (the default) also answers the text it would have sent, in simulatedText. Limited per client and per person: 429 with Retry-After.`,
      access: 'public',
      body: CodeBody,
      idempotency: false,
      responses: { 202: { description: 'Sent, if the person is registered', schema: SelfServiceCodeSent } },
      refusals: { 422: 'not a valid ID number (path idNumber)', 429: 'too many codes' },
    },
    async ({ body, deps, services, req, res }) => {
      checkIdNumber(body.idNumber);
      const wait = await codesPerClient.take(req.ip ?? 'unknown');
      if (wait) throw tooManyRequests(res, wait, 'TOO_MANY_CODES', TOO_MANY);
      const key = personKey(body.idNumber, deps.settings.personKeySecret);
      const personWait = await codesPerPerson.take(key);
      if (personWait) throw tooManyRequests(res, personWait, 'TOO_MANY_CODES', TOO_MANY);
      const expiresAt = new Date(Date.now() + CODE_MINUTES * MINUTE);
      const person = await deps.db.person.findUnique({ where: { personKey: key } });
      const registeredName = person ? nameOf(person.nameEnc, deps.settings.piiKey) : '';
      const matches = !!person && normaliseName(registeredName) === normaliseName(body.name);
      if (!matches) return { status: 202, json: { sent: true as const, expiresAt, simulatedText: null } };
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      await deps.db.selfServiceCode.create({
        data: { id: randomUUID(), personKey: key, codeHash: sha(key, code), expiresAt },
      });
      const sent = await services.messages.send({
        recipient: key,
        purpose: 'SELF_SERVICE_CODE',
        text: `【SkillFlow】您查询本人职业培训档案的验证码为 ${code}，${CODE_MINUTES}分钟内有效。如非本人操作，请忽略。`,
      });
      return {
        status: 202,
        json: { sent: true as const, expiresAt, simulatedText: sent.simulatedText ?? null },
      };
    },
  );

  api.post(
    '/public/me/session',
    {
      tag: 'public',
      summary: '凭验证码查询 Open one’s record with the code',
      description: `The ID number and the latest code sent for it: a token for ${SESSION_MINUTES} minutes (send it to /public/me/record). A code works once, for ${CODE_MINUTES} minutes and ${CODE_TRIES} tries.`,
      access: 'public',
      body: SessionBody,
      idempotency: false,
      responses: { 201: { description: 'Opened', schema: SelfServiceOpened } },
      refusals: {
        422: 'the code is wrong, used, expired or out of tries (CODE_INVALID, path code), or the ID number is not valid',
        429: 'too many wrong codes from this client',
      },
    },
    async ({ body, deps, req, res }) => {
      checkIdNumber(body.idNumber);
      const key = personKey(body.idNumber, deps.settings.personKeySecret);
      const latest = await deps.db.selfServiceCode.findFirst({
        where: { personKey: key },
        orderBy: { createdAt: 'desc' },
      });
      const now = new Date();
      const usable = latest && !latest.usedAt && latest.expiresAt > now && latest.attempts < CODE_TRIES;
      if (!usable || latest.codeHash !== sha(key, body.code.trim())) {
        if (usable)
          await deps.db.selfServiceCode.update({
            where: { id: latest.id },
            data: { attempts: { increment: 1 } },
          });
        const wait = await triesPerClient.take(req.ip ?? 'unknown');
        if (wait)
          throw tooManyRequests(res, wait, 'TOO_MANY_CODES', {
            zh: '验证码错误次数过多',
            en: 'Too many wrong codes',
          });
        throw ruleProblem([violation('CODE_INVALID', WRONG_CODE.zh, WRONG_CODE.en, 'code')]);
      }
      // Used once: a second request with the same code finds it spent (the update counts only an unused one).
      const spent = await deps.db.selfServiceCode.updateMany({
        where: { id: latest.id, usedAt: null },
        data: { usedAt: now },
      });
      if (spent.count !== 1)
        throw ruleProblem([violation('CODE_INVALID', WRONG_CODE.zh, WRONG_CODE.en, 'code')]);
      const token = randomBytes(24).toString('base64url');
      const expiresAt = new Date(now.getTime() + SESSION_MINUTES * MINUTE);
      await deps.db.selfServiceSession.create({ data: { tokenHash: sha(token), personKey: key, expiresAt } });
      return { status: 201, headers: { 'Cache-Control': 'no-store' }, json: { token, expiresAt } };
    },
  );

  api.post(
    '/public/me/record',
    {
      tag: 'public',
      summary: '本人培训档案 One’s own training record',
      description:
        'The record a staff look-up shows (masked as there), for the holder of a self-service token. 401 once the token has expired.',
      access: 'public',
      body: RecordBody,
      idempotency: false,
      responses: { 200: { description: 'The record', schema: PersonRecordSchema } },
      refusals: { 401: 'no such token, or it has expired (SELF_SERVICE_EXPIRED)' },
    },
    async ({ body, deps }) => {
      const person = await personOfToken(deps, body.token);
      return {
        headers: { 'Cache-Control': 'no-store' },
        json: await personRecord(deps, person, await enrollmentsOf(deps, person.personKey)),
      };
    },
  );

  api.post(
    '/public/me/survey',
    {
      tag: 'public',
      summary: '学员满意度评价 Answer the satisfaction survey of one’s class',
      description:
        'For the holder of a self-service token: three scores 1–5 (teaching, practical training, overall) and an optional comment on one of their own classes, once training is over (its `survey` is OPEN in the record). Once per enrolment. The scores feed the institutions’ performance report (GET /performance); the institution does not see who answered what.',
      access: 'public',
      body: SurveyBody,
      idempotency: false,
      responses: { 201: { description: 'Answered', schema: SurveyAnswered } },
      refusals: {
        401: 'no such token, or it has expired (SELF_SERVICE_EXPIRED)',
        404: 'not an enrolment of this person',
        409: 'already answered for this enrolment (SURVEY_ANSWERED)',
        422: 'training is not over yet, or the person withdrew (SURVEY_NOT_OPEN, path enrollmentId)',
      },
    },
    async ({ body, deps }) => {
      const person = await personOfToken(deps, body.token);
      const enrolment = await deps.db.enrollment.findUnique({ where: { id: body.enrollmentId } });
      if (!enrolment || enrolment.personKey !== person.personKey)
        throw problems.notFound({ zh: '未找到您的这条报名记录', en: 'No such enrolment of yours' });
      const [cls, earlier] = await Promise.all([
        deps.db.trainingClass.findUnique({
          where: { id: enrolment.classId },
          select: { stage: true, institutionId: true },
        }),
        deps.db.satisfactionSurvey.findUnique({ where: { enrollmentId: enrolment.id } }),
      ]);
      const state = surveyState(cls?.stage ?? null, enrolment.status, !!earlier);
      if (state === 'ANSWERED') throw answeredAlready();
      if (state !== 'OPEN' || !cls)
        throw ruleProblem([
          violation(
            'SURVEY_NOT_OPEN',
            '培训结束后方可评价（已退学的不参加评价）',
            'The survey opens when training is over (not after a withdrawal)',
            'enrollmentId',
          ),
        ]);
      try {
        const row = await deps.db.satisfactionSurvey.create({
          data: {
            enrollmentId: enrolment.id,
            classId: enrolment.classId,
            institutionId: cls.institutionId,
            teaching: body.teaching,
            practice: body.practice,
            overall: body.overall,
            comment: body.comment ?? null,
          },
        });
        return {
          status: 201,
          headers: { 'Cache-Control': 'no-store' },
          json: { enrollmentId: row.enrollmentId, answeredAt: row.createdAt },
        };
      } catch (e) {
        // two answers at once: the key lets one in
        if (isUniqueViolation(e)) throw answeredAlready();
        throw e;
      }
    },
  );
}

const RespondBody = z.strictObject({
  token: z.string().min(1).max(100),
  invitationId: z.string().min(1).max(200),
  accept: z.boolean(),
});

/** 政策找人: the person's answer to an invitation to a class, once. */
export function invitationRoutes(api: Api): void {
  api.post(
    '/public/me/invitations/respond',
    {
      tag: 'public',
      summary: '回复招生邀请 Answer an invitation to a class',
      description:
        'For the holder of a self-service token: yes or no to one of their own invitations (listed in their record). Once. A yes tells the bureau and the class’s institution to expect the person; it does not enrol them (the institution enrols with the person present, 实名制).',
      access: 'public',
      body: RespondBody,
      idempotency: false,
      responses: { 200: { description: 'Answered', schema: InvitationAnswered } },
      refusals: {
        401: 'no such token, or it has expired (SELF_SERVICE_EXPIRED)',
        404: 'not an invitation of this person',
        409: 'answered already (INVITATION_ANSWERED)',
      },
    },
    async ({ body, deps }) => {
      const person = await personOfToken(deps, body.token);
      const invitation = await deps.db.invitation.findUnique({ where: { id: body.invitationId } });
      if (!invitation || invitation.personKey !== person.personKey)
        throw problems.notFound({ zh: '未找到您的这条邀请', en: 'No such invitation of yours' });
      const status = body.accept ? ('ACCEPTED' as const) : ('DECLINED' as const);
      // answered once: only a SENT invitation changes
      const changed = await deps.db.invitation.updateMany({
        where: { id: invitation.id, status: 'SENT' },
        data: { status, respondedAt: new Date() },
      });
      if (changed.count !== 1)
        throw problems.conflict('INVITATION_ANSWERED', {
          zh: '您已回复过该邀请',
          en: 'You have already answered this invitation',
        });
      return { headers: { 'Cache-Control': 'no-store' }, json: { invitationId: invitation.id, status } };
    },
  );
}

const ClaimBody = z.strictObject({
  token: z.string().min(1).max(100),
  voucherId: z.string().min(1).max(200),
});

/** 电子培训券: the person claims a voucher issued to them (listed in their record). */
export function voucherClaimRoutes(api: Api): void {
  api.post(
    '/public/me/vouchers/claim',
    {
      tag: 'public',
      summary: '领取培训券 Claim a training voucher',
      description:
        'For the holder of a self-service token: claims one of their own issued vouchers while its programme lasts. Once. A claimed voucher is put to use when the person enrols in a class it pays for (its occupation, level and institution); a class whose roster requires a voucher enrols only people holding one.',
      access: 'public',
      body: ClaimBody,
      idempotency: false,
      responses: { 200: { description: 'Claimed', schema: VoucherClaimed } },
      refusals: {
        401: 'no such token, or it has expired (SELF_SERVICE_EXPIRED)',
        404: 'not a voucher of this person',
        409: 'claimed already, or its programme has ended (VOUCHER_NOT_CLAIMABLE)',
      },
    },
    async ({ body, deps }) => {
      const person = await personOfToken(deps, body.token);
      const voucher = await deps.db.voucher.findUnique({ where: { id: body.voucherId } });
      if (!voucher || voucher.personKey !== person.personKey)
        throw problems.notFound({ zh: '未找到您的这张培训券', en: 'No such voucher of yours' });
      const programme = await deps.db.voucherProgramme.findUnique({ where: { id: voucher.programmeId } });
      const ended = !programme || programme.validUntil < todayInShanghai();
      const to = nextVoucherStatus(VoucherStatusSchema.parse(voucher.status), 'CLAIM', ended);
      // claimed once: only an ISSUED voucher changes
      const changed = to
        ? await deps.db.voucher.updateMany({
            where: { id: voucher.id, status: 'ISSUED' },
            data: { status: to, claimedAt: new Date() },
          })
        : { count: 0 };
      if (changed.count !== 1)
        throw problems.conflict('VOUCHER_NOT_CLAIMABLE', {
          zh: ended ? '该培训券已过有效期' : '该培训券已领取',
          en: ended ? 'The voucher has expired' : 'The voucher has been claimed already',
        });
      return {
        headers: { 'Cache-Control': 'no-store' },
        json: { voucherId: voucher.id, status: 'CLAIMED' as const },
      };
    },
  );
}

function answeredAlready() {
  return problems.conflict('SURVEY_ANSWERED', {
    zh: '您已评价过该培训班',
    en: 'You have already answered the survey of this class',
  });
}

// 终身职业技能培训电子档案 as the staff's look-up (pages/PersonRecordPage.tsx) and the person's own page
// (pages/SelfServicePage.tsx) show it: the masked person, the subsidies left of the caps, the levels no longer open
// and why, the training vouchers issued to the person, every class with its outcome, every subsidy counted.
// `sf-print-page`: on paper as on screen.
import { Button, Card, Col, Descriptions, Row, Statistic, Tag } from 'antd';
import { useState } from 'react';
import type { PersonRecord, PersonVoucher } from '../api';
import { date, dateTime } from '../format';
import { useI18n } from '../i18n';
import {
  ASSESSMENT_NAMES,
  ATTENDANCE_STATUS_NAMES,
  ENROLLMENT_STATUS_NAMES,
  LEVEL_NAMES,
  LINE_KIND_NAMES,
  namesOf,
  OBJECTION_STATUS_NAMES,
  occupationNamed,
} from '../names';
import { href } from '../router';
import { Money } from './Money';
import { ResponsiveTable } from './ResponsiveTable';
import { StageTag } from './StageTag';
import { VoucherStatusTag } from './VoucherStatusTag';

type ClassLine = PersonRecord['classes'][number];
type Subsidy = PersonRecord['subsidies'][number];

/** A voucher the person may claim: issued to them, its programme's last day not past (Asia/Shanghai). */
const claimable = (v: PersonVoucher) =>
  v.status === 'ISSUED' && v.validUntil >= date(new Date().toISOString());

const SUBSIDY_STATUS: Record<string, { zh: string; en: string; color: string }> = {
  PAID: { zh: '已享受', en: 'Used', color: 'green' },
  RESERVED: { zh: '在训占用', en: 'Held by a running class', color: 'blue' },
  RELEASED: { zh: '已释放', en: 'Released', color: 'default' },
};

/**
 * `linkClasses`: staff open a class's case; the person on their own page has no case to open. `onSurvey`: the person
 * on their own page answers a class's satisfaction survey once training is over. `onClaim`: the person on their own
 * page claims a voucher issued to them (领取).
 */
export function PersonRecordView({
  record,
  shownAt,
  linkClasses,
  onSurvey,
  onClaim,
}: {
  record: PersonRecord;
  shownAt: string;
  linkClasses: boolean;
  onSurvey?: (line: ClassLine) => void;
  onClaim?: (voucher: PersonVoucher) => Promise<unknown>;
}) {
  const i18n = useI18n();
  const { t, name } = i18n;
  const [claiming, setClaiming] = useState('');
  const claim = async (v: PersonVoucher) => {
    setClaiming(v.voucherId);
    try {
      await onClaim?.(v);
    } finally {
      setClaiming('');
    }
  };
  const classCell = (id: string) =>
    linkClasses ? <a href={href(`/cases/${encodeURIComponent(id)}`)}>{id}</a> : id;
  const e = record.entitlements;
  const level = (l: string | null) => (l ? name(LEVEL_NAMES[l as keyof typeof LEVEL_NAMES], l) : '—');
  const occupation = (n: { zh: string; en: string } | null, code: string | null) =>
    name(n ?? undefined, code ?? '—');
  return (
    <div data-testid="person-record" className="sf-print-page">
      <Card className="sf-block">
        <Descriptions size="small" column={{ xs: 1, md: 4 }}>
          <Descriptions.Item label={t('trainee.name')}>{record.person.nameMasked}</Descriptions.Item>
          <Descriptions.Item label={t('trainee.idNumber')}>{record.person.idMasked}</Descriptions.Item>
          <Descriptions.Item label={t('record.birthDate')}>{record.person.birthDate}</Descriptions.Item>
          <Descriptions.Item label={t('record.sex')}>
            {t(record.person.sex === 'F' ? 'record.female' : 'record.male')}
          </Descriptions.Item>
          <Descriptions.Item label={t('record.asOf')}>{dateTime(shownAt)}</Descriptions.Item>
          <Descriptions.Item label={t('record.policy')}>{record.policyVersionId}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Row gutter={16} className="sf-block">
        <Col xs={24} md={8}>
          <Card>
            <Statistic
              title={t('record.trainingLeft')}
              value={e.training.left}
              suffix={`/ ${e.training.cap}`}
              data-testid="training-left"
            />
            <div className="sf-muted">{t('record.used', { used: e.training.used })}</div>
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card>
            <Statistic
              title={t('record.evaluationLeft')}
              value={e.evaluation.left}
              suffix={`/ ${e.evaluation.cap}`}
              data-testid="evaluation-left"
            />
            <div className="sf-muted">{t('record.used', { used: e.evaluation.used })}</div>
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card title={t('record.closedLevels')} size="small" data-testid="closed-levels">
            {e.closedLevels.length === 0 ? (
              <span className="sf-muted">{t('record.noClosedLevels')}</span>
            ) : (
              e.closedLevels.map((c) => (
                <div key={`${c.occupationCode}-${c.level}`} title={name(c.message)}>
                  <Tag color={c.code === 'SAME_OCCUPATION_LEVEL' ? 'orange' : 'red'}>
                    {occupation(c.occupationName, c.occupationCode)} · {level(c.level)}
                  </Tag>
                  <span className="sf-muted">
                    {t(c.code === 'SAME_OCCUPATION_LEVEL' ? 'record.sameLevel' : 'record.lowerLevel')}
                  </span>
                </div>
              ))
            )}
          </Card>
        </Col>
      </Row>

      <Card title={t('record.vouchers')} className="sf-block">
        <ResponsiveTable<PersonVoucher>
          rowKey="voucherId"
          dataSource={record.vouchers}
          pagination={false}
          size="middle"
          data-testid="record-vouchers"
          locale={{ emptyText: t('record.noVouchers') }}
          columns={[
            {
              title: t('record.voucherProgramme'),
              key: 'programme',
              render: (_, v) => (
                <div>
                  <strong>{v.programmeName}</strong>
                  <div className="sf-muted" style={{ fontSize: 12 }}>
                    {v.voucherId}
                  </div>
                </div>
              ),
            },
            {
              title: t('case.occupation'),
              key: 'occ',
              render: (_, v) =>
                `${namesOf(v.occupationCodes, occupationNamed, i18n)} · ${namesOf(
                  v.levels,
                  (l) => LEVEL_NAMES[l as keyof typeof LEVEL_NAMES],
                  i18n,
                )}`,
            },
            {
              title: t('vouchers.validity'),
              key: 'validity',
              render: (_, v) => `${date(v.validFrom)} ~ ${date(v.validUntil)}`,
            },
            {
              title: t('trainee.status'),
              key: 'status',
              render: (_, v) => (
                <span data-testid={`voucher-${v.voucherId}`}>
                  <VoucherStatusTag status={v.status} />
                  {v.status === 'ISSUED' && !claimable(v) && (
                    <span className="sf-muted">{t('record.voucherEnded')}</span>
                  )}
                </span>
              ),
            },
            {
              title: t('vouchers.class'),
              key: 'class',
              render: (_, v) =>
                v.classId && (v.status === 'RESERVED' || v.status === 'REDEEMED')
                  ? classCell(v.classId)
                  : '—',
            },
            // 领取 on the person's own page, while a voucher waits for it
            ...(onClaim && record.vouchers.some(claimable)
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    render: (_: unknown, v: PersonVoucher) =>
                      claimable(v) ? (
                        <Button
                          type="primary"
                          size="small"
                          className="sf-no-print"
                          loading={claiming === v.voucherId}
                          onClick={() => void claim(v)}
                          data-testid={`claim-${v.voucherId}`}
                        >
                          {t('record.claim')}
                        </Button>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      </Card>

      <Card title={t('record.classes')} className="sf-block">
        <ResponsiveTable<ClassLine>
          rowKey="enrollmentId"
          dataSource={record.classes}
          pagination={false}
          size="middle"
          scroll={{ x: 1000 }}
          data-testid="record-classes"
          locale={{ emptyText: t('record.noClasses') }}
          expandable={{
            rowExpandable: (c) => c.lessons.length > 0,
            expandedRowRender: (c) => (
              <div data-testid={`lessons-${c.enrollmentId}`}>
                <div className="sf-muted" style={{ marginBottom: 4 }}>
                  {t('record.lessons')}
                </div>
                {c.lessons.map((l) => (
                  <Tag
                    key={`${l.lessonDate}-${l.lessonNo}`}
                    color={l.status === 'PRESENT' ? 'green' : l.status === 'ABSENT' ? 'red' : 'orange'}
                    style={{ marginBottom: 4 }}
                  >
                    {t('record.lesson', { no: l.lessonNo, date: date(l.lessonDate) })}{' '}
                    {name(ATTENDANCE_STATUS_NAMES[l.status], l.status)} ·{' '}
                    {t('record.lessonHours', { hours: l.hours })}
                  </Tag>
                ))}
              </div>
            ),
          }}
          columns={[
            {
              title: t('inbox.class'),
              key: 'class',
              render: (_, c) => (
                <div>
                  {linkClasses ? (
                    <a href={href(`/cases/${encodeURIComponent(c.classId)}`)}>{c.title ?? c.classId}</a>
                  ) : (
                    <strong>{c.title ?? c.classId}</strong>
                  )}
                  <div className="sf-muted" style={{ fontSize: 12 }}>
                    {c.institutionName ?? c.institutionId}
                  </div>
                </div>
              ),
            },
            {
              title: t('case.occupation'),
              key: 'occ',
              render: (_, c) => `${occupation(c.occupationName, c.occupationCode)} · ${level(c.level)}`,
            },
            {
              title: t('plan.period'),
              key: 'period',
              render: (_, c) => `${date(c.plannedStart)} ~ ${date(c.plannedEnd)}`,
            },
            {
              title: t('trainee.status'),
              key: 'status',
              render: (_, c) => (
                <>
                  {c.stage && <StageTag stage={c.stage} />}
                  {c.status !== 'ENROLLED' && <Tag>{name(ENROLLMENT_STATUS_NAMES[c.status], c.status)}</Tag>}
                </>
              ),
            },
            {
              title: t('trainee.attended'),
              key: 'hours',
              align: 'right',
              render: (_, c) => `${c.attendedHours} / ${c.classHours ?? '—'}`,
            },
            {
              title: t('trainee.assessment'),
              key: 'assessment',
              render: (_, c) => (c.assessment ? name(ASSESSMENT_NAMES[c.assessment], c.assessment) : '—'),
            },
            { title: t('record.certificateNo'), key: 'cert', render: (_, c) => c.certificateNo ?? '—' },
            {
              title: t('trainee.employed'),
              key: 'employed',
              render: (_, c) => (c.employed === null ? '—' : t(c.employed ? 'common.yes' : 'common.no')),
            },
            {
              title: t('trainee.amount'),
              key: 'amount',
              align: 'right',
              render: (_, c) => (c.amountFen === null ? '—' : <Money fen={c.amountFen} />),
            },
            ...(onSurvey
              ? [
                  {
                    title: t('survey.title'),
                    key: 'survey',
                    render: (_: unknown, c: ClassLine) =>
                      c.survey === 'OPEN' ? (
                        <Button
                          size="small"
                          className="sf-no-print"
                          onClick={() => onSurvey(c)}
                          data-testid={`survey-${c.enrollmentId}`}
                        >
                          {t('survey.open')}
                        </Button>
                      ) : c.survey === 'ANSWERED' ? (
                        <Tag color="green">{t('survey.answered')}</Tag>
                      ) : (
                        '—'
                      ),
                  },
                ]
              : []),
          ]}
        />
      </Card>

      {record.objections.length > 0 && (
        <Card title={t('record.objections')} className="sf-block" data-testid="record-objections">
          {record.objections.map((o) => (
            <div key={o.objectionId} style={{ marginBottom: 8 }}>
              <Tag color={o.status === 'OPEN' ? 'gold' : o.status === 'UPHELD' ? 'red' : 'default'}>
                {name(OBJECTION_STATUS_NAMES[o.status], o.status)}
              </Tag>
              <span className="sf-muted">
                {dateTime(o.createdAt)} · {o.classId}
              </span>
              <div>{o.reason}</div>
              {o.resolution && (
                <div className="sf-muted">{t('record.resolution', { text: o.resolution })}</div>
              )}
            </div>
          ))}
        </Card>
      )}

      <Card title={t('record.subsidies')} className="sf-block">
        <ResponsiveTable<Subsidy>
          rowKey={(s) => `${s.classId}:${s.kind}`}
          dataSource={record.subsidies}
          pagination={false}
          size="middle"
          data-testid="record-subsidies"
          locale={{ emptyText: t('record.noSubsidies') }}
          columns={[
            {
              title: t('record.kind'),
              key: 'kind',
              render: (_, s) => name(LINE_KIND_NAMES[s.kind], s.kind),
            },
            {
              title: t('case.occupation'),
              key: 'occ',
              render: (_, s) => `${occupation(s.occupationName, s.occupationCode)} · ${level(s.level)}`,
            },
            { title: t('record.class'), dataIndex: 'classId' },
            {
              title: t('plan.period'),
              key: 'period',
              render: (_, s) => `${date(s.periodStart)} ~ ${date(s.periodEnd)}`,
            },
            {
              title: t('trainee.status'),
              key: 'status',
              render: (_, s) => {
                const st = SUBSIDY_STATUS[s.status];
                return <Tag color={st?.color}>{name(st, s.status)}</Tag>;
              },
            },
          ]}
        />
      </Card>
    </div>
  );
}

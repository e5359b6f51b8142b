// 就业跟踪: every trainee in employment follow-up with their window, the evidence submitted for them, the
// caseworker's verdict and note on each piece, and whether employment was confirmed.
import { Space, Tag, Typography } from 'antd';
import type { CaseView, EvidenceRow, TraineeRow } from '../../api';
import { useI18n } from '../../i18n';
import { ASSESSMENT_NAMES, EVIDENCE_KIND_NAMES } from '../../names';
import { ResponsiveTable } from '../ResponsiveTable';
import { FollowUpWindowText, withinWindow } from './FollowUpWindow';

const VERDICT_COLORS: Record<string, string> = { VERIFIED: 'green', REJECTED: 'red' };

/** The trainees the tab lists: those with a window (the class is following up) or with evidence. */
export function followedUp(detail: CaseView): TraineeRow[] {
  const withEvidence = new Set((detail.evidence ?? []).map((e) => e.enrollmentId));
  return (detail.trainees ?? []).filter((t) => t.followUpWindow || withEvidence.has(t.enrollmentId));
}

export function FollowUpTab({ detail }: { detail: CaseView }) {
  const { t, name } = useI18n();
  const evidenceOf = (enrollmentId: string) =>
    (detail.evidence ?? []).filter((e) => e.enrollmentId === enrollmentId);

  const piece = (e: EvidenceRow, tr: TraineeRow) => (
    <div key={e.id} data-testid="evidence-item">
      <Space wrap size={4}>
        <span>
          {name(EVIDENCE_KIND_NAMES[e.kind], e.kind)} · {e.employedOn}
          {e.employer ? ` · ${e.employer}` : ''}
        </span>
        {tr.followUpWindow && !withinWindow(e.employedOn, tr.followUpWindow) && (
          <Tag color="red">{t('evidence.outsideWindow')}</Tag>
        )}
        <Tag color={e.verdict ? VERDICT_COLORS[e.verdict] : 'gold'}>
          {e.verdict === 'VERIFIED'
            ? t('evidence.verified')
            : e.verdict === 'REJECTED'
              ? t('evidence.rejected')
              : t('evidence.pending')}
        </Tag>
      </Space>
      {e.verdictNote && (
        <div>
          <Typography.Text type="secondary" data-testid="evidence-note">
            {t('evidence.note')}：{e.verdictNote}
          </Typography.Text>
        </div>
      )}
    </div>
  );

  return (
    <ResponsiveTable<TraineeRow>
      rowKey="enrollmentId"
      size="small"
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      dataSource={followedUp(detail)}
      scroll={{ x: 860 }}
      data-testid="follow-up-table"
      columns={[
        {
          title: t('trainee.name'),
          key: 'name',
          width: 110,
          render: (_, r) => r.name ?? r.nameMasked,
        },
        {
          title: t('trainee.assessment'),
          dataIndex: 'assessment',
          width: 150,
          render: (a: string | null) => (a ? name(ASSESSMENT_NAMES[a], a) : '—'),
        },
        {
          title: t('window.label'),
          key: 'window',
          width: 230,
          render: (_, r) => (r.followUpWindow ? <FollowUpWindowText window={r.followUpWindow} /> : '—'),
        },
        {
          title: t('evidence.list'),
          key: 'evidence',
          render: (_, r) => {
            const pieces = evidenceOf(r.enrollmentId);
            return pieces.length ? (
              <Space orientation="vertical" size={4}>
                {pieces.map((e) => piece(e, r))}
              </Space>
            ) : (
              <Typography.Text type="secondary">{t('evidence.none')}</Typography.Text>
            );
          },
        },
        {
          title: t('trainee.employed'),
          dataIndex: 'employed',
          width: 80,
          render: (e: boolean | null) =>
            e === null || e === undefined ? '—' : e ? t('common.yes') : t('common.no'),
        },
      ]}
    />
  );
}

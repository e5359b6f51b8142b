// 学员: masked names and ID numbers (staff may reveal, which the API audits), category, hours, outcome.
import { Space, Switch, Tag } from 'antd';
import type { CaseView, TraineeRow } from '../../api';
import { useI18n } from '../../i18n';
import { ASSESSMENT_NAMES, ENROLLMENT_STATUS_NAMES, TIER_NAMES, TRAINEE_CATEGORY_NAMES } from '../../names';
import { Money } from '../Money';
import { ResponsiveTable } from '../ResponsiveTable';

type Keyed<T extends Record<string, unknown>> = T[keyof T];
const pick = <T extends Record<string, unknown>>(table: T, key: string | null | undefined) =>
  key ? (table[key] as Keyed<T> | undefined) : undefined;

export function TraineesTab({
  detail,
  canReveal,
  reveal,
  onReveal,
  loading,
}: {
  detail: CaseView;
  canReveal: boolean;
  reveal: boolean;
  onReveal(v: boolean): void;
  loading: boolean;
}) {
  const { t, name } = useI18n();
  return (
    <>
      {canReveal && (
        <Space className="sf-block">
          <Switch checked={reveal} onChange={onReveal} size="small" />
          <span>{t('case.reveal')}</span>
        </Space>
      )}
      <ResponsiveTable<TraineeRow>
        rowKey="enrollmentId"
        size="small"
        loading={loading}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        dataSource={detail.trainees ?? []}
        scroll={{ x: 960 }}
        data-testid="trainees-table"
        columns={[
          { title: t('trainee.name'), key: 'name', render: (_, r) => r.name ?? r.nameMasked },
          {
            title: t('trainee.idNumber'),
            key: 'id',
            render: (_, r) => <span className="sf-money">{r.idNumber ?? r.idMasked}</span>,
          },
          {
            title: t('trainee.category'),
            dataIndex: 'category',
            render: (c: string) => name(pick(TRAINEE_CATEGORY_NAMES, c), c),
          },
          {
            title: t('trainee.status'),
            dataIndex: 'status',
            render: (s: string) => (
              <Tag color={s === 'WITHDRAWN' ? 'default' : 'green'}>{name(ENROLLMENT_STATUS_NAMES[s], s)}</Tag>
            ),
          },
          { title: t('trainee.attended'), dataIndex: 'attendedHours', align: 'right' },
          {
            title: t('trainee.assessment'),
            dataIndex: 'assessment',
            render: (a: string | null) =>
              a ? <Tag color={a === 'FAILED' ? 'red' : 'blue'}>{name(ASSESSMENT_NAMES[a], a)}</Tag> : '—',
          },
          {
            title: t('trainee.employed'),
            dataIndex: 'employed',
            render: (e: boolean | null) =>
              e === null || e === undefined ? '—' : e ? t('common.yes') : t('common.no'),
          },
          {
            title: t('trainee.tier'),
            dataIndex: 'tier',
            render: (tier: string | null) => (tier ? name(pick(TIER_NAMES, tier), tier) : '—'),
          },
          {
            title: t('trainee.amount'),
            dataIndex: 'amountFen',
            align: 'right',
            render: (fen: number | null) => <Money fen={fen} />,
          },
        ]}
      />
    </>
  );
}

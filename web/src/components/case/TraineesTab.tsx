// 学员: masked names and ID numbers (staff may reveal one trainee or the roster for a few minutes, giving a reason
// the API audits), category, hours, outcome.
import { EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Tag } from 'antd';
import { useState } from 'react';
import type { CaseView, TraineeRow } from '../../api';
import { useI18n } from '../../i18n';
import { TextEntryModal } from '../TextEntryModal';
import { REVEAL_MINUTES, type Reveal } from './useReveal';
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
  loading,
}: {
  detail: CaseView;
  canReveal: boolean;
  reveal: Reveal;
  loading: boolean;
}) {
  const { t, name } = useI18n();
  // Whose names the reason dialog is for: one trainee, the whole roster (null), or closed (undefined).
  const [asking, setAsking] = useState<TraineeRow | null | undefined>(undefined);
  const seconds = Math.ceil(reveal.remainingMs / 1000);
  const countdown = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  return (
    <>
      {canReveal && (
        <Space className="sf-block" wrap>
          <Button
            size="small"
            icon={<EyeOutlined />}
            onClick={() => setAsking(null)}
            data-testid="reveal-all"
          >
            {t('reveal.all', { minutes: REVEAL_MINUTES })}
          </Button>
        </Space>
      )}
      {reveal.count > 0 && (
        <Alert
          className="sf-block"
          type="warning"
          showIcon
          data-testid="reveal-countdown"
          title={
            <span role="timer" aria-live="off">
              {t('reveal.countdown', { time: countdown })}
            </span>
          }
          action={
            <Button size="small" icon={<EyeInvisibleOutlined />} onClick={reveal.hide}>
              {t('reveal.hideNow')}
            </Button>
          }
        />
      )}
      <TextEntryModal
        open={asking !== undefined}
        title={asking ? t('reveal.titleOne', { name: asking.nameMasked }) : t('reveal.title')}
        label={t('common.reason')}
        help={t('reveal.reasonHelp')}
        required
        testId="reveal-dialog"
        onSubmit={(reason) => reveal.reveal(reason ?? '', asking?.enrollmentId)}
        onClose={() => setAsking(undefined)}
      />
      <ResponsiveTable<TraineeRow>
        rowKey="enrollmentId"
        size="small"
        loading={loading}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        dataSource={detail.trainees ?? []}
        scroll={{ x: 960 }}
        data-testid="trainees-table"
        columns={[
          {
            title: t('trainee.name'),
            key: 'name',
            render: (_, r) => (
              <Space size={4} wrap={false}>
                <span data-testid="trainee-name">{r.name ?? r.nameMasked}</span>
                {canReveal && !r.name && (
                  <Button
                    type="link"
                    size="small"
                    icon={<EyeOutlined />}
                    aria-label={`${t('reveal.row')} ${r.nameMasked}`}
                    onClick={() => setAsking(r)}
                    data-testid="reveal-row"
                  >
                    {t('reveal.row')}
                  </Button>
                )}
              </Space>
            ),
          },
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

// 补贴明细: the subsidy lines with tier, percentage, amount and status, and the class's money totals.
import { Descriptions, Table, Tag } from 'antd';
import type { CaseView } from '../../api';
import { useI18n } from '../../i18n';
import { LINE_KIND_NAMES, LINE_STATUS_NAMES, TIER_NAMES } from '../../names';
import { Money } from '../Money';
import { ResponsiveTable } from '../ResponsiveTable';
import { orgNamer } from './names';

type Line = NonNullable<CaseView['case']>['lines'][number];

const STATUS_COLORS: Record<string, string> = {
  NOTICED: 'gold',
  HELD: 'volcano',
  PAYABLE: 'blue',
  PAID: 'green',
  REMOVED: 'default',
  RECOVERY_DUE: 'red',
};

export function LinesTab({ detail }: { detail: CaseView }) {
  const { t, name } = useI18n();
  const c = detail.case;
  const lines = c?.lines ?? [];
  const counted = lines.filter((l) => l.status !== 'REMOVED');
  const total = counted.reduce((sum, l) => sum + l.amountFen, 0);
  const org = orgNamer(detail);
  const traineeName = (enrollmentId?: string) => {
    const tr = detail.trainees?.find((x) => x.enrollmentId === enrollmentId);
    return tr ? (tr.name ?? tr.nameMasked) : (enrollmentId ?? '—');
  };
  return (
    <>
      <ResponsiveTable<Line>
        rowKey="lineId"
        size="small"
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        dataSource={lines}
        locale={{ emptyText: t('line.noneYet') }}
        scroll={{ x: 960 }}
        columns={[
          // a name (masked: 刘*芳) and a line kind stay on one line
          {
            title: t('line.trainee'),
            key: 'trainee',
            className: 'sf-nowrap',
            render: (_, l) => traineeName(l.enrollmentId),
          },
          {
            title: t('line.kind'),
            dataIndex: 'kind',
            className: 'sf-nowrap',
            render: (k: string) => name(LINE_KIND_NAMES[k], k),
          },
          {
            title: t('line.tier'),
            dataIndex: 'tier',
            render: (tier: Line['tier']) => (tier ? name(TIER_NAMES[tier], tier) : '—'),
          },
          {
            title: t('line.pct'),
            dataIndex: 'pct',
            align: 'right',
            render: (p?: number) => (p === undefined || p === null ? '—' : `${p}%`),
          },
          {
            title: t('line.amount'),
            dataIndex: 'amountFen',
            align: 'right',
            render: (fen: number) => <Money fen={fen} />,
          },
          {
            title: t('line.status'),
            dataIndex: 'status',
            render: (s: string) => <Tag color={STATUS_COLORS[s]}>{name(LINE_STATUS_NAMES[s], s)}</Tag>,
          },
          { title: t('line.payee'), dataIndex: 'payee', render: (p: string) => org(p) },
          { title: t('line.round'), dataIndex: 'noticeRound', align: 'right' },
          { title: t('line.remark'), dataIndex: 'remark' },
        ]}
        phoneSummary={
          <span>
            {t('common.total')} <Money fen={total} />
          </span>
        }
        summary={() =>
          lines.length ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={4}>
                <strong>{t('common.total')}</strong>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                <strong>
                  <Money fen={total} />
                </strong>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} colSpan={4} />
            </Table.Summary.Row>
          ) : null
        }
      />
      <Descriptions size="small" column={{ xs: 1, sm: 3 }} style={{ marginTop: 16 }}>
        <Descriptions.Item label={t('money.advanced')}>
          <Money fen={c?.advancePaidFen ?? 0} />
        </Descriptions.Item>
        <Descriptions.Item label={t('money.paid')}>
          <Money fen={c?.paidFen ?? 0} />
        </Descriptions.Item>
        <Descriptions.Item label={t('money.recovered')}>
          <Money fen={c?.recoveryFen ?? 0} />
        </Descriptions.Item>
      </Descriptions>
    </>
  );
}

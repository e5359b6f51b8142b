// 拨付: the class's payment batches; finance approves those awaiting approval (also from the open-work card).
import { Tag } from 'antd';
import type { CaseView } from '../../api';
import { useI18n } from '../../i18n';
import { BATCH_COLORS, BATCH_KIND_NAMES, BATCH_STATUS_NAMES } from '../../names';
import { Money } from '../Money';
import { BatchActions } from '../BatchActions';
import { ResponsiveTable } from '../ResponsiveTable';

type Batch = NonNullable<CaseView['case']>['batches'][number];

export function PaymentsTab({ detail, onChanged }: { detail: CaseView; onChanged(): void }) {
  const { t, name } = useI18n();
  return (
    <ResponsiveTable<Batch>
      rowKey="batchId"
      size="small"
      pagination={false}
      dataSource={detail.case?.batches ?? []}
      locale={{ emptyText: t('batch.noneYet') }}
      columns={[
        { title: t('batch.id'), dataIndex: 'batchId' },
        { title: t('batch.kind'), dataIndex: 'kind', render: (k: string) => name(BATCH_KIND_NAMES[k], k) },
        {
          title: t('batch.total'),
          dataIndex: 'totalFen',
          align: 'right',
          render: (fen: number) => <Money fen={fen} />,
        },
        {
          title: t('batch.status'),
          dataIndex: 'status',
          render: (s: string) => <Tag color={BATCH_COLORS[s]}>{name(BATCH_STATUS_NAMES[s], s)}</Tag>,
        },
        {
          title: t('common.actions'),
          key: 'actions',
          render: (_, b) => <BatchActions batchId={b.batchId} status={b.status} onChanged={onChanged} />,
        },
      ]}
    />
  );
}

// 拨付: payment batches with their payments; finance approves and exports the bank transfer file.
import { ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Select, Space, Tag, Upload } from 'antd';
import { useState } from 'react';
import { endpoints, type Batch, type Payment } from '../api';
import { BatchActions } from '../components/BatchActions';
import { ExportButton } from '../components/ExportButton';
import { Money } from '../components/Money';
import { PageHeader } from '../components/PageHeader';
import { ResponsiveTable } from '../components/ResponsiveTable';
import { dateTime } from '../format';
import { useApiError, useCursorList, useReloadUntilSettled } from '../hooks';
import { useSession } from '../session';
import { useI18n } from '../i18n';
import { BATCH_COLORS, BATCH_KIND_NAMES, BATCH_STATUS_NAMES, PAYMENT_STATUS_NAMES } from '../names';
import { href } from '../router';

export function PaymentsPage() {
  const { t, name } = useI18n();
  const [status, setStatus] = useState<string | undefined>();
  const list = useCursorList((cursor) => endpoints.batches({ status, limit: 50, cursor }), [status]);
  const changed = useReloadUntilSettled(list.reload);
  const { user } = useSession();
  const { message } = App.useApp();
  const showError = useApiError();
  const [importing, setImporting] = useState(false);

  /** 银行回单: the bank's answer per payment; each batch's workflow reconciles it (paid, or retried). */
  const importReturn = async (file: File) => {
    setImporting(true);
    try {
      const { batches } = await endpoints.importBankReturn(file);
      const lines = batches.reduce((n, b) => n + b.lines, 0);
      message.success(t('payments.imported', { lines, batches: batches.length }));
      changed();
    } catch (e) {
      showError(e);
    } finally {
      setImporting(false);
    }
  };

  return (
    <>
      <PageHeader title={t('payments.title')} />
      <Card className="sf-block">
        <Form layout="inline" style={{ rowGap: 8 }}>
          <Form.Item label={t('batch.status')}>
            <Select
              allowClear
              aria-label={t('batch.status')}
              style={{ width: 200 }}
              placeholder={t('common.all')}
              value={status}
              onChange={setStatus}
              options={Object.entries(BATCH_STATUS_NAMES).map(([value, n]) => ({ value, label: name(n) }))}
            />
          </Form.Item>
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            {t('common.refresh')}
          </Button>
          <ExportButton
            load={() => endpoints.paymentsExport({ status })}
            filename="payments.xlsx"
            testId="payments-export"
          />
          {user?.role === 'FINANCE' && (
            <Upload
              accept=".csv,text/csv"
              showUploadList={false}
              beforeUpload={(file) => {
                void importReturn(file);
                return false;
              }}
            >
              <Button
                icon={<UploadOutlined />}
                loading={importing}
                data-testid="import-bank-return"
                style={{ marginLeft: 8 }}
              >
                {t('payments.importReturn')}
              </Button>
            </Upload>
          )}
        </Form>
      </Card>
      <Card>
        <ResponsiveTable<Batch>
          rowKey="id"
          size="middle"
          loading={list.loading}
          dataSource={list.items}
          pagination={false}
          data-testid="batches-table"
          scroll={{ x: 900 }}
          expandable={{
            rowExpandable: (b) => (b.payments?.length ?? 0) > 0,
            expandedRowRender: (b) => <PaymentsOf payments={b.payments ?? []} />,
          }}
          columns={[
            { title: t('batch.id'), dataIndex: 'id' },
            {
              title: t('batch.class'),
              dataIndex: 'classId',
              render: (id: string) => <a href={href(`/cases/${encodeURIComponent(id)}`)}>{id}</a>,
            },
            {
              title: t('batch.kind'),
              dataIndex: 'kind',
              render: (k: string) => name(BATCH_KIND_NAMES[k], k),
            },
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
            { title: t('batch.createdAt'), dataIndex: 'createdAt', render: (v?: string) => dateTime(v) },
            {
              title: t('batch.approvedBy'),
              dataIndex: 'approvedBy',
              render: (v: string | null, b) => b.approvedByName ?? v ?? '—',
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, b) => <BatchActions batchId={b.id} status={b.status} onChanged={changed} />,
            },
          ]}
        />
        {list.hasMore && (
          <Space style={{ width: '100%', justifyContent: 'center', marginTop: 16 }}>
            <Button onClick={list.more} loading={list.loading}>
              {t('common.more')}
            </Button>
          </Space>
        )}
      </Card>
    </>
  );
}

function PaymentsOf({ payments }: { payments: Payment[] }) {
  const { t, name } = useI18n();
  return (
    <ResponsiveTable<Payment>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={payments}
      columns={[
        { title: t('payment.id'), dataIndex: 'id' },
        {
          title: t('payment.payee'),
          dataIndex: 'payee',
          render: (v: string, p) => p.payeeName ?? v,
        },
        {
          title: t('payment.amount'),
          dataIndex: 'amountFen',
          align: 'right',
          render: (fen: number) => <Money fen={fen} />,
        },
        {
          title: t('payment.status'),
          dataIndex: 'status',
          render: (s: string) => (
            <Tag color={s === 'PAID' ? 'green' : s === 'FAILED' ? 'red' : 'default'}>
              {name(PAYMENT_STATUS_NAMES[s], s)}
            </Tag>
          ),
        },
        { title: t('payment.attempts'), dataIndex: 'attempts', align: 'right' },
        { title: t('payment.bankRef'), dataIndex: 'bankRef', render: (v?: string | null) => v ?? '—' },
        { title: t('payment.failure'), dataIndex: 'failure', render: (v?: string | null) => v ?? '—' },
      ]}
    />
  );
}

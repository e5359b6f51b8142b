// 公示 (no login): open notices with masked rows; anyone may file an objection (异议) against a row.
import { TranslationOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Form, Input, Modal, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { endpoints, type Notice, type NoticeRow } from '../api';
import { Money } from '../components/Money';
import { PageHeader } from '../components/PageHeader';
import { ResponsiveTable, usePhone } from '../components/ResponsiveTable';
import { dateTime } from '../format';
import { useApiError, useLoad, validated } from '../hooks';
import { useI18n } from '../i18n';
import { LEVEL_NAMES, LINE_KIND_NAMES, TIER_NAMES } from '../names';
import { href } from '../router';

type Target = { notice: Notice; row: NoticeRow } | null;

function ObjectionModal({ target, onClose }: { target: Target; onClose(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<{ reason: string; contact?: string }>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const v = await validated(form);
    if (!v) return; // the form shows what is missing
    if (!target) return;
    setBusy(true);
    try {
      const { objectionId } = await endpoints.object(target.notice.id, {
        lineId: target.row.lineId,
        reason: v.reason.trim(),
        contact: v.contact?.trim() || undefined,
      });
      message.success(t('objection.sent', { id: objectionId }));
      onClose();
    } catch (e) {
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={target !== null}
      title={`${t('objection.raise')} · ${target?.row.trainee ?? ''}`}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy }}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="reason"
          label={t('objection.reason')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
        <Form.Item name="contact" label={t('objection.contact')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function NoticeCard({ notice, onObject }: { notice: Notice; onObject(row: NoticeRow): void }) {
  const { t, name } = useI18n();
  const total = notice.rows.reduce((s, r) => s + r.amountFen, 0);
  const phone = usePhone();
  const period = (
    <Typography.Text type="secondary">
      {t('notices.published')} {dateTime(notice.publishedAt)} · {t('notices.closes')}{' '}
      {dateTime(notice.closesAt)}
    </Typography.Text>
  );
  return (
    <Card
      className="sf-block"
      title={
        <Space wrap>
          <span>{notice.classId}</span>
          <Tag color="gold">{t('notices.round', { n: notice.round })}</Tag>
        </Space>
      }
      extra={phone ? undefined : period}
    >
      {phone && <div style={{ marginBottom: 8 }}>{period}</div>}
      <ResponsiveTable<NoticeRow>
        rowKey="lineId"
        size="small"
        pagination={false}
        dataSource={notice.rows}
        scroll={{ x: 1000 }}
        columns={[
          { title: t('notices.institution'), dataIndex: 'institution' },
          {
            title: t('notices.occupation'),
            key: 'occ',
            render: (_, r) =>
              `${r.occupation} · ${name(LEVEL_NAMES[r.level as keyof typeof LEVEL_NAMES], r.level)}`,
          },
          { title: t('notices.hours'), dataIndex: 'classHours', align: 'right' },
          { title: t('notices.trainee'), dataIndex: 'trainee' },
          {
            title: t('notices.idNumber'),
            dataIndex: 'idNumber',
            render: (v: string) => <span className="sf-money">{v}</span>,
          },
          { title: t('line.kind'), dataIndex: 'kind', render: (k: string) => name(LINE_KIND_NAMES[k], k) },
          {
            title: t('line.tier'),
            dataIndex: 'tier',
            render: (tier: string | null) =>
              tier ? name(TIER_NAMES[tier as keyof typeof TIER_NAMES], tier) : '—',
          },
          {
            title: t('line.amount'),
            dataIndex: 'amountFen',
            align: 'right',
            render: (f: number) => <Money fen={f} />,
          },
          { title: t('line.remark'), dataIndex: 'remark', render: (v: string | null) => v ?? '' },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, r) => (
              <Button size="small" onClick={() => onObject(r)} data-testid="object-button">
                {t('objection.raise')}
              </Button>
            ),
          },
        ]}
        phoneSummary={
          <span>
            {t('common.total')} <Money fen={total} />
          </span>
        }
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={7}>
              <strong>{t('common.total')}</strong>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={7} align="right">
              <strong>
                <Money fen={total} />
              </strong>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={8} colSpan={2} />
          </Table.Summary.Row>
        )}
      />
    </Card>
  );
}

export function PublicNoticesPage({ embedded = false }: { embedded?: boolean }) {
  const { t, lang, setLang } = useI18n();
  const { data, loading } = useLoad(() => endpoints.notices(), []);
  const [target, setTarget] = useState<Target>(null);
  const notices: Notice[] = data?.items ?? [];

  const body = (
    <>
      <PageHeader title={t('notices.title')}>
        <Typography.Text type="secondary">{t('notices.subtitle')}</Typography.Text>
      </PageHeader>
      {loading && !data ? (
        <Skeleton active />
      ) : notices.length === 0 ? (
        <Card>
          <Empty description={t('notices.empty')} />
        </Card>
      ) : (
        notices.map((n) => (
          <NoticeCard key={n.id} notice={n} onObject={(row) => setTarget({ notice: n, row })} />
        ))
      )}
      <ObjectionModal target={target} onClose={() => setTarget(null)} />
    </>
  );
  if (embedded) return body;
  return (
    <div style={{ minHeight: '100vh' }}>
      <div className="sf-public-header">
        <strong style={{ fontSize: 16 }}>SkillFlow · {t('notices.title')}</strong>
        <Space>
          <Button
            type="text"
            style={{ color: '#fff' }}
            icon={<TranslationOutlined />}
            onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}
          >
            {t('user.language')}
          </Button>
          <Button type="primary" href={href('/login')}>
            {t('notices.login')}
          </Button>
        </Space>
      </div>
      <div className="sf-content">{body}</div>
    </div>
  );
}

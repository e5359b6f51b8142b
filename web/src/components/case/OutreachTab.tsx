// 政策找人 (issue 16 point 3): on an approved class that is enrolling, the registry's people whom enrolment would
// accept, registered unemployed first; a caseworker picks some and sends them an invitation (a text message through
// the delivery channel); the answers come back here. Names and ID numbers masked.
import { SendOutlined } from '@ant-design/icons';
import { App, Button, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { endpoints, type CandidatePage } from '../../api';
import { date } from '../../format';
import { useApiError, useLoad } from '../../hooks';
import { useI18n } from '../../i18n';
import { TRAINEE_CATEGORY_NAMES } from '../../names';
import { ResponsiveTable } from '../ResponsiveTable';

type Candidate = CandidatePage['items'][number];
const STATUS_COLOR = { SENT: 'blue', ACCEPTED: 'green', DECLINED: 'default' } as const;

export function OutreachTab({ classId, canInvite }: { classId: string; canInvite: boolean }) {
  const { t, name } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const [more, setMore] = useState<Candidate[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const { data, loading, reload } = useLoad(async () => {
    const page = await endpoints.candidates(classId, {});
    setMore([]);
    setCursor(page.nextCursor);
    return page;
  }, [classId]);
  const rows = [...(data?.items ?? []), ...more];

  const loadMore = async () => {
    if (!cursor) return;
    try {
      const page = await endpoints.candidates(classId, { cursor });
      setMore([...more, ...page.items]);
      setCursor(page.nextCursor);
    } catch (err) {
      showError(err);
    }
  };
  const invite = async () => {
    setBusy(true);
    try {
      const answer = await endpoints.invite(classId, selected);
      message.success(t('outreach.sent', { sent: answer.sent.length, refused: answer.refused.length }));
      setSelected([]);
      reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const statusTag = (s: Candidate['invitation']) =>
    s ? <Tag color={STATUS_COLOR[s]}>{t(`outreach.status.${s}`)}</Tag> : '—';
  return (
    <div data-testid="outreach">
      <Typography.Paragraph type="secondary">{t('outreach.hint')}</Typography.Paragraph>
      <Space wrap className="sf-block">
        {data && (
          <Typography.Text data-testid="outreach-counts">
            {t('outreach.counts', {
              sent: data.invitations.sent,
              accepted: data.invitations.accepted,
              declined: data.invitations.declined,
            })}
          </Typography.Text>
        )}
        {canInvite && (
          <Button
            type="primary"
            icon={<SendOutlined />}
            disabled={!selected.length}
            loading={busy}
            onClick={() => void invite()}
            data-testid="outreach-invite"
          >
            {t('outreach.invite', { n: selected.length })}
          </Button>
        )}
      </Space>
      <ResponsiveTable<Candidate>
        rowKey="registrantId"
        dataSource={rows}
        loading={loading}
        pagination={false}
        data-testid="outreach-table"
        rowSelection={
          canInvite
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys.map(String)),
                getCheckboxProps: (c) => ({ disabled: c.invitation !== null, 'aria-label': c.nameMasked }),
              }
            : undefined
        }
        columns={[
          { title: t('trainee.name'), dataIndex: 'nameMasked' },
          { title: t('trainee.idNumber'), dataIndex: 'idMasked' },
          {
            title: t('trainee.category'),
            dataIndex: 'category',
            render: (c: Candidate['category']) => name(TRAINEE_CATEGORY_NAMES[c], c),
          },
          { title: t('outreach.age'), dataIndex: 'age', width: 70 },
          { title: t('inbox.district'), dataIndex: 'district' },
          { title: t('outreach.registeredOn'), dataIndex: 'registeredOn', render: date },
          { title: t('outreach.invitation'), dataIndex: 'invitation', render: statusTag },
        ]}
      />
      {cursor && (
        <Button className="sf-block" onClick={() => void loadMore()} data-testid="outreach-more">
          {t('outreach.more')}
        </Button>
      )}
    </div>
  );
}

// 招生邀请 on the person's own page (政策找人): the classes the bureau invited them to, and a yes or no to each, once.
import { Alert, Button, Card, List, Space, Tag } from 'antd';
import { useState } from 'react';
import { endpoints, type PersonRecord } from '../api';
import { date } from '../format';
import { useApiError } from '../hooks';
import { useI18n } from '../i18n';

type Invitation = PersonRecord['invitations'][number];
const COLOR = { SENT: 'blue', ACCEPTED: 'green', DECLINED: 'default' } as const;

export function InvitationsCard(props: { token: string; invitations: Invitation[]; onAnswered(): void }) {
  const { t } = useI18n();
  const showError = useApiError();
  const [busy, setBusy] = useState('');
  if (!props.invitations.length) return null;
  const answer = async (i: Invitation, accept: boolean) => {
    setBusy(i.invitationId);
    try {
      await endpoints.respondToInvitation(props.token, i.invitationId, accept);
      props.onAnswered();
    } catch (err) {
      showError(err);
    } finally {
      setBusy('');
    }
  };
  return (
    <Card title={t('invitations.title')} className="sf-block sf-no-print" data-testid="invitations">
      <Alert type="info" showIcon className="sf-block" message={t('invitations.hint')} />
      <List
        dataSource={props.invitations}
        renderItem={(i) => (
          <List.Item
            data-testid={`invitation-${i.invitationId}`}
            actions={
              i.status === 'SENT'
                ? [
                    <Button
                      key="yes"
                      type="primary"
                      size="small"
                      loading={busy === i.invitationId}
                      onClick={() => void answer(i, true)}
                      data-testid={`invitation-accept-${i.invitationId}`}
                    >
                      {t('invitations.accept')}
                    </Button>,
                    <Button
                      key="no"
                      size="small"
                      disabled={busy === i.invitationId}
                      onClick={() => void answer(i, false)}
                    >
                      {t('invitations.decline')}
                    </Button>,
                  ]
                : [
                    <Tag key="answer" color={COLOR[i.status]}>
                      {t(`outreach.status.${i.status}`)}
                    </Tag>,
                  ]
            }
          >
            <List.Item.Meta
              title={i.title ?? i.classId}
              description={
                <Space wrap>
                  {i.institutionName}
                  <span>
                    {date(i.plannedStart)} ~ {date(i.plannedEnd)}
                  </span>
                </Space>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}

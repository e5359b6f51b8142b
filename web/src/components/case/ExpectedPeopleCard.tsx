// 政策找人, the institution's side (issue 16 point 3): the people the bureau invited to this class who said yes,
// so the institution expects them and enrols them in person (实名制). Who was invited and who declined stays with
// the bureau; the API sends the institution only the yes answers. Names and ID numbers masked.
import { Card, Typography } from 'antd';
import { endpoints, type InvitationList } from '../../api';
import { dateTime } from '../../format';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n';
import { TRAINEE_CATEGORY_NAMES } from '../../names';
import { ResponsiveTable } from '../ResponsiveTable';

type Invitation = InvitationList['items'][number];

export function ExpectedPeopleCard({ classId }: { classId: string }) {
  const { t, name } = useI18n();
  const { data, loading } = useLoad(() => endpoints.invitations(classId), [classId]);
  const items = data?.items ?? [];
  return (
    <Card
      className="sf-block"
      title={t('outreach.expected', { n: items.length })}
      data-testid="expected-people"
      loading={loading && !data}
    >
      <Typography.Paragraph type="secondary">{t('outreach.expectedHint')}</Typography.Paragraph>
      <ResponsiveTable<Invitation>
        rowKey="invitationId"
        dataSource={items}
        pagination={false}
        locale={{ emptyText: t('outreach.expectedNone') }}
        columns={[
          { title: t('trainee.name'), dataIndex: 'nameMasked' },
          { title: t('trainee.idNumber'), dataIndex: 'idMasked' },
          {
            title: t('trainee.category'),
            dataIndex: 'category',
            render: (c: string) => name(TRAINEE_CATEGORY_NAMES[c as keyof typeof TRAINEE_CATEGORY_NAMES], c),
          },
          { title: t('outreach.respondedAt'), dataIndex: 'respondedAt', render: dateTime },
        ]}
      />
    </Card>
  );
}

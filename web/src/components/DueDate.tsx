import { Space, Tag, Typography } from 'antd';
import { deadline } from '../format';
import { useI18n } from '../i18n';

/** A due time with the red 逾期 and orange 已督办 flags. */
export function DueDate({
  dueAt,
  overdue,
  escalated,
  provisional,
}: {
  dueAt: string | null | undefined;
  overdue?: boolean;
  escalated?: boolean;
  provisional?: boolean;
}) {
  const { t } = useI18n();
  return (
    <Space size={4} wrap>
      <Typography.Text type={overdue ? 'danger' : undefined}>{deadline(dueAt)}</Typography.Text>
      {overdue && <Tag color="red">{t('tag.overdue')}</Tag>}
      {escalated && <Tag color="orange">{t('tag.escalated')}</Tag>}
      {provisional && <Tag>{t('tag.provisional')}</Tag>}
    </Space>
  );
}

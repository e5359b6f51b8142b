// 事项: what an inbox row is about — the trainee (masked), the payment batch and its amount, or the objected
// line — so fourteen rows of one class are fourteen different things to do.
import { Space, Tag, Typography } from 'antd';
import type { Task } from '../../api';
import { useI18n } from '../../i18n';
import { BATCH_KIND_NAMES, LINE_KIND_NAMES } from '../../names';
import { Money } from '../Money';

export function TaskSubject({ task }: { task: Task }) {
  const { t, name } = useI18n();
  const about = task.about;
  if (!about)
    return (
      <Typography.Text type="secondary" data-testid="task-subject">
        {task.subject ?? t('inbox.wholeClass')}
      </Typography.Text>
    );
  if (about.type === 'TRAINEE')
    return (
      <Space size={4} wrap data-testid="task-subject">
        <Typography.Text type="secondary">{t('inbox.trainee')}</Typography.Text>
        <Typography.Text strong>{about.traineeName || about.enrollmentId}</Typography.Text>
      </Space>
    );
  if (about.type === 'BATCH')
    return (
      <Space size={4} wrap data-testid="task-subject">
        {about.batchKind && (
          <Tag color="gold">{name(BATCH_KIND_NAMES[about.batchKind], about.batchKind)}</Tag>
        )}
        <Typography.Text strong>
          {about.totalFen !== null ? <Money fen={about.totalFen} /> : null}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ wordBreak: 'break-all' }}>
          {about.batchId}
          {about.payees ? ` · ${t('inbox.payees', { n: about.payees })}` : ''}
        </Typography.Text>
      </Space>
    );
  return (
    <Space size={4} wrap data-testid="task-subject">
      <Typography.Text type="secondary">{t('inbox.objectedLine')}</Typography.Text>
      {about.traineeName && <Typography.Text strong>{about.traineeName}</Typography.Text>}
      {about.lineKind && <span>{name(LINE_KIND_NAMES[about.lineKind], about.lineKind)}</span>}
      {about.amountFen !== null && <Money fen={about.amountFen} />}
    </Space>
  );
}

/** The subject as plain text (bulk result lists, the side panel's title). */
export function subjectText(task: Task, t: ReturnType<typeof useI18n>['t']): string {
  const about = task.about;
  if (!about) return task.subject ?? t('inbox.wholeClass');
  if (about.type === 'TRAINEE') return about.traineeName || about.enrollmentId;
  if (about.type === 'BATCH') return about.batchId;
  return about.traineeName ?? about.lineId ?? about.objectionId;
}

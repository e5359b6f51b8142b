// 时间线: the audit events of the case, newest first.
import { Timeline, Typography } from 'antd';
import type { CaseView } from '../../api';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { actionLabel, ROLE_NAMES, STAGE_NAMES } from '../../names';
import { StageTag } from '../StageTag';

export function TimelineTab({ detail }: { detail: CaseView }) {
  const { name } = useI18n();
  const events = [...(detail.timeline ?? [])].sort((a, b) => b.seq - a.seq);
  return (
    <Timeline
      data-testid="timeline"
      items={events.map((e) => ({
        key: e.seq,
        color: e.action.startsWith('OVERDUE') || e.action.startsWith('ESCALATED') ? 'red' : 'blue',
        content: (
          <div>
            <strong>{actionLabel(e.action, name)}</strong>{' '}
            {e.stage in STAGE_NAMES && <StageTag stage={e.stage} />}
            <div>
              <Typography.Text type="secondary">
                {dateTime(e.at)} · {e.actor === 'system' ? name(ROLE_NAMES.SYSTEM) : e.actor}
              </Typography.Text>
            </div>
          </div>
        ),
      }))}
    />
  );
}

// 时间线: the audit events of the case, newest first.
import { Timeline, Typography } from 'antd';
import type { CaseView } from '../../api';
import { dateTime } from '../../format';
import { useI18n, type Named } from '../../i18n';
import { ACTION_NAMES, STAGE_NAMES, TASK_KIND_NAMES } from '../../names';
import { StageTag } from '../StageTag';

/** 'TASK_OPENED:REVIEW_PLAN' → 生成待办 · 开班审核; 'NOTICE_PUBLISHED:2' → 发布公示 · 2. */
export function actionLabel(action: string, name: (n: Named | undefined, f?: string) => string): string {
  if (ACTION_NAMES[action]) return name(ACTION_NAMES[action]);
  const [head = action, ...rest] = action.split(':');
  const tail = rest.join(':');
  const base = name(ACTION_NAMES[head], head);
  return tail ? `${base} · ${name(TASK_KIND_NAMES[tail], tail)}` : base;
}

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
                {dateTime(e.at)} · {e.actor}
              </Typography.Text>
            </div>
          </div>
        ),
      }))}
    />
  );
}

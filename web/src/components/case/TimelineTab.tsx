// 时间线: the audit events of the case, newest first, in time order across the class and its trainees'
// follow-up workflows (each numbers its own events, so the sequence only breaks ties within one of them).
// An event about one trainee (evidence, a withdrawal, an objected line) names the trainee as the page does;
// who acted is named too (the API's actorName), never by user id.
import { Tag, Timeline, Typography } from 'antd';
import type { CaseView } from '../../api';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { actionLabel, STAGE_NAMES } from '../../names';
import { StageTag } from '../StageTag';
import { actorNamer } from './names';

type TimelineEvent = CaseView['timeline'][number];

/** Newest first: by time, then by the sequence of the workflow that wrote it. */
export const newestFirst = (a: TimelineEvent, b: TimelineEvent) =>
  Date.parse(b.at) - Date.parse(a.at) || b.seq - a.seq;

export function TimelineTab({ detail }: { detail: CaseView }) {
  const { t, name } = useI18n();
  const events = [...(detail.timeline ?? [])].sort(newestFirst);
  const actor = actorNamer(detail, name);
  const traineeName = (enrollmentId: string) => {
    const tr = detail.trainees?.find((x) => x.enrollmentId === enrollmentId);
    return tr ? (tr.name ?? tr.nameMasked) : enrollmentId;
  };
  return (
    <Timeline
      data-testid="timeline"
      items={events.map((e) => ({
        key: e.id ?? `${e.at}:${e.seq}:${e.action}`,
        color: e.action.startsWith('OVERDUE') || e.action.startsWith('ESCALATED') ? 'red' : 'blue',
        content: (
          <div data-testid="timeline-event">
            <strong>{actionLabel(e.action, name)}</strong>{' '}
            {e.enrollmentId && (
              <Tag data-testid="timeline-trainee">
                {t('evidence.trainee')} {traineeName(e.enrollmentId)}
              </Tag>
            )}
            {e.stage in STAGE_NAMES && <StageTag stage={e.stage} />}
            <div>
              <Typography.Text type="secondary">
                {dateTime(e.at)} · <span data-testid="timeline-actor">{actor(e.actor)}</span>
              </Typography.Text>
            </div>
          </div>
        ),
      }))}
    />
  );
}

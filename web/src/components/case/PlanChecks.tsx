// 审核要点: the checks the domain ran on the plan under review (✓ passed, ✗ failed with why) and the course
// table's total hours against the plan's class hours (GET /cases/:id/plan-checks).
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Alert, Descriptions, Skeleton, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, endpoints, type PlanChecks } from '../../api';
import { date } from '../../format';
import { useI18n } from '../../i18n';

// Text colours at 4.5:1 or more on white (antd's green-8 and red-7).
const OK = { color: '#237804' };
const BAD = { color: '#cf1322' };
const WHY = { color: '#cf1322', marginInlineStart: 22, fontSize: 13 };
const LIST = { listStyle: 'none', padding: 0, margin: '8px 0 0', columns: '2 320px', columnGap: 24 } as const;
const ITEM = { padding: '3px 0', breakInside: 'avoid' } as const;

export function PlanChecksPanel({ classId, compact }: { classId: string; compact?: boolean }) {
  const { t } = useI18n();
  const [data, setData] = useState<PlanChecks>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    setData(undefined);
    setError(undefined);
    endpoints
      .planChecks(classId)
      .then((d) => live && setData(d))
      .catch(
        (e: unknown) =>
          live &&
          setError(e instanceof ApiError ? (e.problem.detail ?? e.problem.title ?? e.message) : String(e)),
      );
    return () => {
      live = false;
    };
  }, [classId]);
  // A failed look-up stays in place (the review itself does not depend on it): no toast over the page.
  if (error)
    return <Alert className="sf-block" type="info" showIcon title={t('checks.title')} description={error} />;
  if (!data) return <Skeleton active paragraph={{ rows: 3 }} title={false} />;
  return <PlanChecksView checks={data} compact={compact} title={t('checks.title')} />;
}

function PlanChecksView({
  checks,
  compact,
  title,
}: {
  checks: PlanChecks;
  compact?: boolean;
  title: string;
}) {
  const { t, lang } = useI18n();
  const text = (m: { zh: string; en: string }) => (lang === 'en' ? m.en : m.zh);
  const failed = checks.checks.filter((c) => !c.passed).length;
  const { totals } = checks;
  const over = totals.courseTableHours > totals.classHours;
  return (
    <section className="sf-block" data-testid="plan-checks" aria-label={title}>
      {!compact && <Typography.Title level={5}>{title}</Typography.Title>}
      <Alert
        type={failed ? 'warning' : 'success'}
        showIcon
        data-testid="plan-checks-summary"
        title={
          failed
            ? t('checks.failed', { failed, count: checks.checks.length })
            : t('checks.allPassed', { count: checks.checks.length })
        }
        description={t('checks.filedOn', { date: date(checks.filedOn) })}
      />
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: compact ? 2 : 4 }} style={{ marginTop: 12 }}>
        <Descriptions.Item label={t('checks.courseHours')}>
          <span data-testid="plan-checks-course-hours" style={over ? BAD : undefined}>
            {t('checks.hoursUnit', { hours: totals.courseTableHours })}
          </span>
          <span style={{ color: 'rgba(0, 0, 0, 0.65)' }}>
            {`\u00a0\u00a0·\u00a0\u00a0${t('checks.lessons', { count: totals.lessons })}`}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('checks.classHours')}>
          <span data-testid="plan-checks-class-hours">
            {t('checks.hoursUnit', { hours: totals.classHours })}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('checks.catalogueHours')}>
          {totals.catalogueHours === null ? '—' : t('checks.hoursUnit', { hours: totals.catalogueHours })}
        </Descriptions.Item>
        <Descriptions.Item label={t('checks.capacity')}>
          {totals.capacity} / {totals.capacityCap}
        </Descriptions.Item>
      </Descriptions>
      <ul style={LIST}>
        {checks.checks.map((c) => (
          <li
            key={c.id}
            style={ITEM}
            data-testid={`plan-check-${c.id}`}
            data-passed={c.passed ? 'true' : 'false'}
          >
            {c.passed ? (
              <CheckCircleFilled style={OK} aria-label={t('checks.passed')} />
            ) : (
              <CloseCircleFilled style={BAD} aria-label={t('checks.notPassed')} />
            )}
            <span style={{ marginInlineStart: 8 }}>{text(c.label)}</span>
            {c.violations.map((v, i) => (
              <div key={`${v.code}-${i}`} style={WHY}>
                {text(v)}
              </div>
            ))}
          </li>
        ))}
      </ul>
    </section>
  );
}

import { Typography } from 'antd';
import type { OverdueReason as Reason } from '../api';
import { useI18n } from '../i18n';

/**
 * Who is late and since when (the API's overdueReason) in the reader's language; the deadline
 * ('2026-10-08 24:00') is never broken across lines.
 */
export function OverdueReason({
  reason,
  inline,
  testId = 'overdue-reason',
}: {
  reason: Reason;
  /** Under another value in a table cell: small and red. */
  inline?: boolean;
  testId?: string;
}) {
  const { name } = useI18n();
  const parts = name(reason).split(/(\d{4}-\d{2}-\d{2} \d{2}:\d{2})/);
  return (
    <Typography.Text
      type={inline ? 'danger' : undefined}
      style={inline ? { display: 'block', fontSize: 12 } : undefined}
      data-testid={testId}
    >
      {parts.map((part, i) =>
        i % 2 ? (
          <span key={i} style={{ whiteSpace: 'nowrap' }}>
            {part}
          </span>
        ) : (
          part
        ),
      )}
    </Typography.Text>
  );
}

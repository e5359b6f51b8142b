// 待办角标: how many tasks wait for the user's role, and how many of them are overdue, beside 待办 in the menu.
// Looked up when the page changes and every minute; a failed look-up shows nothing rather than a wrong number.
import { Badge } from 'antd';
import { useEffect, useState } from 'react';
import { endpoints } from '../api';
import { useI18n } from '../i18n';

export function TodoBadge({ at }: { at: string }) {
  const { t } = useI18n();
  const [counts, setCounts] = useState<{ open: number; overdue: number } | null>(null);
  useEffect(() => {
    let live = true;
    const look = () =>
      Promise.all([endpoints.tasks({ limit: 1 }), endpoints.tasks({ limit: 1, overdue: 'true' })]).then(
        ([open, overdue]) => live && setCounts({ open: open.total, overdue: overdue.total }),
        () => live && setCounts(null),
      );
    void look();
    const timer = setInterval(look, 60_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [at]);
  if (!counts || counts.open === 0) return null;
  return (
    <span
      data-testid="todo-badge"
      title={t('menu.todoBadge', { open: counts.open, overdue: counts.overdue })}
      className="sf-todo-badge"
    >
      <Badge
        count={counts.open}
        overflowCount={999}
        size="small"
        color={counts.overdue ? '#cf1322' : '#0958d9'}
        aria-label={t('menu.todoBadge', { open: counts.open, overdue: counts.overdue })}
      />
    </span>
  );
}

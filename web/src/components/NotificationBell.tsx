// 消息中心: a bell in the header with the caller's unread count, opening a drawer of their notifications, newest
// first — what happened to their cases (a decision on a plan, a missed deadline, an escalation, a payment problem).
// Opening one marks it read and goes to its case; "all read" clears the count. Looked up when the page changes and
// every minute; a failed look-up shows no count rather than a wrong one.
import { BellOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Drawer, List, Space, Switch, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { endpoints, type Notification, type Role } from '../api';
import { dateTime } from '../format';
import { useI18n } from '../i18n';
import { actionLabel } from '../names';
import { navigate } from '../router';

const PAGE = 20;

/** Where a notification leads: the institution's own class page, or the case. */
const caseUrl = (role: Role, classId: string) =>
  role === 'INSTITUTION' ? `/portal/classes/${classId}` : `/cases/${classId}`;

export function NotificationBell({ at, role, phone }: { at: string; role: Role; phone: boolean }) {
  const { t, name } = useI18n();
  const [unread, setUnread] = useState<number | null>(null);
  const [open, setOpen] = useState(false);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [items, setItems] = useState<Notification[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);

  const count = useCallback(
    () =>
      endpoints.notifications({ limit: 1 }).then(
        (p) => setUnread(p.unread),
        () => setUnread(null),
      ),
    [],
  );
  useEffect(() => {
    void count();
    const timer = setInterval(() => void count(), 60_000);
    return () => clearInterval(timer);
  }, [at, count]);

  const load = useCallback(
    async (from: string | null) => {
      setLoading(true);
      try {
        const page = await endpoints.notifications({
          limit: PAGE,
          cursor: from ?? undefined,
          unread: unreadOnly ? 'true' : undefined,
        });
        setItems((before) => (from ? [...before, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setUnread(page.unread);
        setFailed(false);
      } catch {
        setFailed(true);
      } finally {
        setLoading(false);
      }
    },
    [unreadOnly],
  );
  useEffect(() => {
    if (open) void load(null);
  }, [open, load]);

  const follow = async (n: Notification) => {
    if (!n.read) {
      const after = await endpoints.readNotifications([n.id]).catch(() => undefined);
      if (after) setUnread(after.unread);
    }
    setOpen(false);
    navigate(caseUrl(role, n.classId));
  };
  const readAll = async () => {
    const after = await endpoints.readNotifications();
    setUnread(after.unread);
    setItems((before) => (unreadOnly ? [] : before.map((n) => ({ ...n, read: true }))));
    setCursor(unreadOnly ? null : cursor);
  };

  const label = t('notify.open', { unread: unread ?? 0 });
  return (
    <>
      <Button
        type="text"
        data-testid="notification-bell"
        aria-label={label}
        title={label}
        onClick={() => setOpen(true)}
        icon={
          <Badge count={unread ?? 0} size="small" overflowCount={99} data-testid="notification-count">
            <BellOutlined style={{ fontSize: 16 }} />
          </Badge>
        }
      />
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        title={t('notify.title')}
        placement="right"
        size={phone ? '100%' : 440}
        data-testid="notification-drawer"
        extra={
          <Button
            size="small"
            onClick={() => void readAll()}
            disabled={!unread}
            data-testid="notifications-read-all"
          >
            {t('notify.readAll')}
          </Button>
        }
      >
        <Space style={{ marginBottom: 12 }}>
          <Switch
            size="small"
            checked={unreadOnly}
            onChange={setUnreadOnly}
            aria-label={t('notify.unreadOnly')}
            data-testid="notifications-unread-only"
          />
          <span>{t('notify.unreadOnly')}</span>
        </Space>
        {failed && <Alert type="error" showIcon message={t('notify.failed')} style={{ marginBottom: 12 }} />}
        <List
          loading={loading && !items.length}
          dataSource={items}
          locale={{ emptyText: loading ? ' ' : t(unreadOnly ? 'notify.emptyUnread' : 'notify.empty') }}
          data-testid="notification-list"
          renderItem={(n) => (
            <List.Item
              key={n.id}
              className={n.read ? 'sf-notification' : 'sf-notification sf-notification-unread'}
              data-testid="notification-item"
              data-action={n.action}
              data-read={n.read}
            >
              <List.Item.Meta
                avatar={
                  <Badge
                    status={n.read ? 'default' : 'processing'}
                    aria-label={n.read ? undefined : t('notify.unread')}
                  />
                }
                title={
                  <a
                    href={`#${caseUrl(role, n.classId)}`}
                    onClick={(e) => {
                      e.preventDefault();
                      void follow(n);
                    }}
                  >
                    {actionLabel(n.action, name)}
                  </a>
                }
                description={
                  <>
                    <div>{n.classTitle ?? n.classId}</div>
                    {n.reason && <div>{t('notify.reason', { reason: n.reason })}</div>}
                    {n.enrollmentId && (
                      <div className="sf-muted">{t('notify.trainee', { id: n.enrollmentId })}</div>
                    )}
                    <Typography.Text type="secondary">{dateTime(n.at)}</Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
        {cursor && (
          <Button block onClick={() => void load(cursor)} loading={loading} style={{ marginTop: 12 }}>
            {t('notify.more')}
          </Button>
        )}
      </Drawer>
    </>
  );
}

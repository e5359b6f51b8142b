// The shell: locale, session, a ProLayout-like frame (side menu by role, user menu) and the hash routes. Below
// antd's lg breakpoint the side menu moves into a drawer opened from the header (so no floating trigger covers
// the page), and on a phone the header keeps to one line: the short name, the language, the user's avatar.
import {
  ApartmentOutlined,
  CreditCardOutlined,
  DashboardOutlined,
  FileSearchOutlined,
  IdcardOutlined,
  TrophyOutlined,
  InboxOutlined,
  LogoutOutlined,
  MenuOutlined,
  NotificationOutlined,
  PayCircleOutlined,
  PlusOutlined,
  SettingOutlined,
  SolutionOutlined,
  TranslationOutlined,
  UserOutlined,
} from '@ant-design/icons';
import {
  App as AntApp,
  Avatar,
  Button,
  ConfigProvider,
  Drawer,
  Dropdown,
  Grid,
  Layout,
  Menu,
  Result,
  Spin,
} from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect, useState, type ReactNode } from 'react';
import type { Role, User } from './api';
import { I18nProvider, useI18n, type MessageKey } from './i18n';
import { ROLE_NAMES } from './names';
import { AdminPage } from './pages/AdminPage';
import { AssessmentResultsPage, AssessorPage } from './pages/AssessorPage';
import { CasePage } from './pages/CasePage';
import { ApprovalFormPage } from './pages/ApprovalFormPage';
import { CasesPage } from './pages/CasesPage';
import { DashboardPage } from './pages/DashboardPage';
import { InboxPage } from './pages/InboxPage';
import { LoginPage } from './pages/LoginPage';
import { PaymentsPage } from './pages/PaymentsPage';
import { PlanFormPage } from './pages/PlanFormPage';
import { PortalPage } from './pages/PortalPage';
import { PublicNoticesPage } from './pages/PublicNoticesPage';
import { PersonRecordPage } from './pages/PersonRecordPage';
import { PerformancePage } from './pages/PerformancePage';
import { SelfServicePage } from './pages/SelfServicePage';
import { VouchersPage } from './pages/VouchersPage';
import { cspNonce } from './csp';
import { TodoBadge } from './components/TodoBadge';
import { NotificationBell } from './components/NotificationBell';
import { href, match, navigate, useLocation } from './router';
import { homeFor, SessionProvider, useSession } from './session';

interface MenuEntry {
  path: string;
  label: MessageKey;
  icon: ReactNode;
  roles: Role[];
}

const STAFF: Role[] = ['CASEWORKER', 'FINANCE', 'MANAGER', 'ADMIN'];

const MENU: MenuEntry[] = [
  { path: '/dashboard', label: 'menu.dashboard', icon: <DashboardOutlined />, roles: ['MANAGER'] },
  {
    path: '/inbox',
    label: 'menu.inbox',
    icon: <InboxOutlined />,
    roles: ['CASEWORKER', 'FINANCE', 'MANAGER'],
  },
  { path: '/cases', label: 'menu.cases', icon: <FileSearchOutlined />, roles: STAFF },
  { path: '/payments', label: 'menu.payments', icon: <PayCircleOutlined />, roles: ['FINANCE', 'MANAGER'] },
  {
    path: '/performance',
    label: 'menu.performance',
    icon: <TrophyOutlined />,
    roles: ['MANAGER', 'CASEWORKER'],
  },
  {
    path: '/people',
    label: 'menu.people',
    icon: <IdcardOutlined />,
    roles: ['CASEWORKER', 'MANAGER', 'FINANCE'],
  },
  {
    path: '/vouchers',
    label: 'menu.vouchers',
    icon: <CreditCardOutlined />,
    roles: ['CASEWORKER', 'FINANCE', 'MANAGER'],
  },
  { path: '/portal', label: 'menu.portal', icon: <ApartmentOutlined />, roles: ['INSTITUTION'] },
  { path: '/portal/new', label: 'menu.newClass', icon: <PlusOutlined />, roles: ['INSTITUTION'] },
  {
    path: '/notices',
    label: 'menu.notices',
    icon: <NotificationOutlined />,
    roles: [...STAFF, 'INSTITUTION', 'ASSESSOR'],
  },
  { path: '/assessor', label: 'menu.assessor', icon: <SolutionOutlined />, roles: ['ASSESSOR'] },
  { path: '/admin', label: 'menu.admin', icon: <SettingOutlined />, roles: ['ADMIN'] },
];

interface Route {
  pattern: string;
  roles: Role[];
  render(params: Record<string, string>, query: URLSearchParams): ReactNode;
}

const ROUTES: Route[] = [
  { pattern: '/inbox', roles: ['CASEWORKER', 'FINANCE', 'MANAGER', 'ADMIN'], render: () => <InboxPage /> },
  { pattern: '/cases', roles: STAFF, render: () => <CasesPage /> },
  {
    pattern: '/cases/:id',
    roles: [...STAFF, 'INSTITUTION', 'ASSESSOR'],
    render: (p) => <CasePage id={p.id!} />,
  },
  {
    pattern: '/cases/:id/approval-form',
    roles: [...STAFF, 'INSTITUTION'],
    render: (p) => <ApprovalFormPage id={p.id!} />,
  },
  { pattern: '/dashboard', roles: ['MANAGER', 'CASEWORKER', 'FINANCE'], render: () => <DashboardPage /> },
  { pattern: '/payments', roles: ['FINANCE', 'MANAGER'], render: () => <PaymentsPage /> },
  { pattern: '/performance', roles: ['MANAGER', 'CASEWORKER'], render: () => <PerformancePage /> },
  { pattern: '/people', roles: ['CASEWORKER', 'MANAGER', 'FINANCE'], render: () => <PersonRecordPage /> },
  { pattern: '/vouchers', roles: ['CASEWORKER', 'FINANCE', 'MANAGER'], render: () => <VouchersPage /> },
  { pattern: '/admin', roles: ['ADMIN'], render: () => <AdminPage /> },
  { pattern: '/assessor', roles: ['ASSESSOR'], render: () => <AssessorPage /> },
  {
    pattern: '/assessor/classes/:id',
    roles: ['ASSESSOR'],
    render: (p) => <AssessmentResultsPage classId={p.id!} />,
  },
  { pattern: '/portal', roles: ['INSTITUTION'], render: () => <PortalPage /> },
  { pattern: '/portal/new', roles: ['INSTITUTION'], render: () => <PlanFormPage /> },
  { pattern: '/portal/classes/:id', roles: ['INSTITUTION'], render: (p) => <CasePage id={p.id!} /> },
  {
    pattern: '/portal/classes/:id/resubmit',
    roles: ['INSTITUTION'],
    render: (p) => <PlanFormPage classId={p.id!} />,
  },
];

function Shell({ user, children, selected }: { user: User; children: ReactNode; selected: string }) {
  const { t, name, lang, setLang } = useI18n();
  const { logout } = useSession();
  const screens = Grid.useBreakpoint();
  const wide = !!screens.lg;
  const phone = !screens.md;
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [selected]);
  const items = MENU.filter((m) => m.roles.includes(user.role)).map((m) => ({
    key: m.path,
    icon: m.icon,
    label: (
      <a href={href(m.path)}>
        {t(m.label)}
        {m.path === '/inbox' && <TodoBadge at={selected} />}
      </a>
    ),
  }));
  const logo = (
    <div className="sf-logo">
      <span className="sf-logo-mark">SF</span>
      <span>{t('app.short')}</span>
    </div>
  );
  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      selectedKeys={[selected]}
      items={items}
      onClick={() => setMenuOpen(false)}
    />
  );
  const role = name(ROLE_NAMES[user.role]);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      {wide && (
        <Layout.Sider width={208} theme="dark">
          {logo}
          {menu}
        </Layout.Sider>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header className="sf-header" data-testid="app-header">
          <div className="sf-header-left">
            {!wide && (
              <Button
                type="text"
                icon={<MenuOutlined />}
                aria-label={t('menu.open')}
                aria-expanded={menuOpen}
                data-testid="menu-button"
                onClick={() => setMenuOpen(true)}
              />
            )}
            <span className="sf-header-title">{phone ? t('app.short') : t('app.title')}</span>
          </div>
          <div className="sf-header-right">
            <NotificationBell at={selected} role={user.role} phone={phone} />
            <Button
              type="text"
              icon={<TranslationOutlined />}
              data-testid="lang-switch"
              aria-label={t('user.language')}
              onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}
            >
              {phone ? t('user.languageShort') : t('user.language')}
            </Button>
            <Dropdown
              trigger={phone ? ['click'] : ['hover']}
              menu={{
                items: [
                  ...(phone
                    ? [
                        {
                          key: 'who',
                          disabled: true,
                          label: (
                            <span data-testid="user-menu-name">
                              {user.displayName} <span className="sf-muted">{role}</span>
                            </span>
                          ),
                        },
                        { type: 'divider' as const },
                      ]
                    : []),
                  {
                    key: 'logout',
                    icon: <LogoutOutlined />,
                    label: t('user.logout'),
                    onClick: () => void logout().then(() => navigate('/login')),
                  },
                ],
              }}
            >
              <span
                className="sf-user"
                data-testid="user-menu"
                role="button"
                tabIndex={0}
                aria-label={`${user.displayName} · ${role}`}
              >
                <Avatar size="small" icon={phone ? undefined : <UserOutlined />}>
                  {phone ? [...user.displayName][0] : undefined}
                </Avatar>
                {!phone && (
                  <>
                    <span className="sf-user-name">{user.displayName}</span>
                    <span className="sf-muted sf-user-role">{role}</span>
                  </>
                )}
              </span>
            </Dropdown>
          </div>
        </Layout.Header>
        <Layout.Content className="sf-content">{children}</Layout.Content>
      </Layout>
      {!wide && (
        <Drawer
          placement="left"
          open={menuOpen}
          onClose={() => setMenuOpen(false)}
          size={232}
          closable={false}
          className="sf-drawer-menu"
          data-testid="menu-drawer"
        >
          {logo}
          {menu}
        </Drawer>
      )}
    </Layout>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to), [to]);
  return null;
}

function Routes() {
  const { user, checking } = useSession();
  const { t } = useI18n();
  const { path, query } = useLocation();

  if (path === '/notices' && !user) return <PublicNoticesPage />;
  // 个人查询: a trainee's own record, proven by a code, whoever is logged in on this browser
  if (path === '/me') return <SelfServicePage />;
  if (checking)
    return (
      <div className="sf-center">
        <Spin size="large" />
      </div>
    );
  if (!user) return <LoginPage />;
  if (path === '/' || path === '/login') return <Redirect to={homeFor(user)} />;

  let page: ReactNode = <Result status="404" title="404" subTitle={t('common.notFound')} />;
  if (path === '/notices') page = <PublicNoticesPage embedded />;
  for (const route of ROUTES) {
    const params = match(route.pattern, path);
    if (!params) continue;
    page = route.roles.includes(user.role) ? (
      route.render(params, query)
    ) : (
      <Result status="403" title="403" subTitle={t('common.noAccess')} />
    );
    break;
  }
  const selected =
    MENU.map((m) => m.path)
      .filter((p) => path === p || path.startsWith(`${p}/`))
      .sort((a, b) => b.length - a.length)[0] ?? path;
  return (
    <Shell user={user} selected={selected}>
      {page}
    </Shell>
  );
}

/** antd writes its styles as <style> elements at run time: the page's CSP applies only those with its nonce. */
const CSP = { nonce: cspNonce };

function Localised() {
  const { lang } = useI18n();
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  return (
    <ConfigProvider csp={CSP} locale={lang === 'en' ? enUS : zhCN} theme={{ token: THEME_TOKENS }}>
      <AntApp>
        <SessionProvider>
          <Routes />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

/**
 * antd's tokens darkened to WCAG AA contrast (4.5:1 for text; tests/e2e/a11y.test.ts checks every page with
 * axe-core): white on the primary blue (antd's #1677ff gives 4.0:1), secondary and placeholder text (0.45
 * gives 3.4:1), and the status colours that tags, alerts and text use on their light backgrounds.
 */
const THEME_TOKENS = {
  colorPrimary: '#0958d9',
  colorSuccess: '#237804',
  colorWarning: '#ad6800',
  colorError: '#cf1322',
  colorInfo: '#0958d9',
  colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
  colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
  colorTextDescription: 'rgba(0, 0, 0, 0.6)',
  colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
  borderRadius: 6,
};

export function Root() {
  return (
    <I18nProvider>
      <Localised />
    </I18nProvider>
  );
}

// The shell: locale, session, a ProLayout-like frame (side menu by role, user menu) and the hash routes.
import {
  ApartmentOutlined,
  DashboardOutlined,
  FileSearchOutlined,
  InboxOutlined,
  LogoutOutlined,
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
  Dropdown,
  Layout,
  Menu,
  Result,
  Space,
  Spin,
} from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect, type ReactNode } from 'react';
import type { Role, User } from './api';
import { I18nProvider, useI18n, type MessageKey } from './i18n';
import { ROLE_NAMES } from './names';
import { AdminPage } from './pages/AdminPage';
import { AssessmentResultsPage, AssessorPage } from './pages/AssessorPage';
import { CasePage } from './pages/CasePage';
import { CasesPage } from './pages/CasesPage';
import { DashboardPage } from './pages/DashboardPage';
import { InboxPage } from './pages/InboxPage';
import { LoginPage } from './pages/LoginPage';
import { PaymentsPage } from './pages/PaymentsPage';
import { PlanFormPage } from './pages/PlanFormPage';
import { PortalPage } from './pages/PortalPage';
import { PublicNoticesPage } from './pages/PublicNoticesPage';
import { cspNonce } from './csp';
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
  { pattern: '/dashboard', roles: ['MANAGER', 'CASEWORKER', 'FINANCE'], render: () => <DashboardPage /> },
  { pattern: '/payments', roles: ['FINANCE', 'MANAGER'], render: () => <PaymentsPage /> },
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
  const items = MENU.filter((m) => m.roles.includes(user.role)).map((m) => ({
    key: m.path,
    icon: m.icon,
    label: <a href={href(m.path)}>{t(m.label)}</a>,
  }));
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={208} breakpoint="lg" collapsedWidth={0} theme="dark">
        <div className="sf-logo">
          <span className="sf-logo-mark">SF</span>
          <span>{t('app.short')}</span>
        </div>
        <Menu theme="dark" mode="inline" selectedKeys={[selected]} items={items} />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="sf-header">
          <span className="sf-header-title">{t('app.title')}</span>
          <Space size="middle">
            <Button
              type="text"
              icon={<TranslationOutlined />}
              data-testid="lang-switch"
              onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}
            >
              {t('user.language')}
            </Button>
            <Dropdown
              menu={{
                items: [
                  {
                    key: 'logout',
                    icon: <LogoutOutlined />,
                    label: t('user.logout'),
                    onClick: () => void logout().then(() => navigate('/login')),
                  },
                ],
              }}
            >
              <Space className="sf-user" data-testid="user-menu">
                <Avatar size="small" icon={<UserOutlined />} />
                <span>{user.displayName}</span>
                <span className="sf-muted">{name(ROLE_NAMES[user.role])}</span>
              </Space>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content className="sf-content">{children}</Layout.Content>
      </Layout>
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
    <ConfigProvider
      csp={CSP}
      locale={lang === 'en' ? enUS : zhCN}
      theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}
    >
      <AntApp>
        <SessionProvider>
          <Routes />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function Root() {
  return (
    <I18nProvider>
      <Localised />
    </I18nProvider>
  );
}

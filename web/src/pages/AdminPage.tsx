// 系统管理 (ADMIN): users, API keys for institutions' and assessment bodies' systems (a new key is shown once),
// the working-day calendar (entering a State Council schedule re-arms every open deadline), 历史数据导入 (the
// predecessor system's closed classes, from a sheet), and the access audit.
import { KeyOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { endpoints, type AdminApiKey, type AdminUser, type AuditRow, type UserBody } from '../api';
import { CalendarTab } from '../components/admin/CalendarTab';
import { HistoryTab } from '../components/admin/HistoryTab';
import { ExportButton } from '../components/ExportButton';
import { FormModal } from '../components/FormModal';
import { PageHeader } from '../components/PageHeader';
import { ResponsiveTable } from '../components/ResponsiveTable';
import { dateTime } from '../format';
import { useApiError, useCursorList } from '../hooks';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { AUDIT_ACTION_NAMES, ROLE_NAMES } from '../names';
import { navigate, useLocation } from '../router';

const TABS = ['users', 'keys', 'calendar', 'history', 'audit'] as const;

export function AdminPage() {
  const { t } = useI18n();
  // The tab is in the address ('#/admin?tab=calendar'), so a link or a reload opens the same one.
  const { query } = useLocation();
  const asked = query.get('tab');
  const tab = TABS.find((k) => k === asked) ?? 'users';
  return (
    <>
      <PageHeader title={t('admin.title')} />
      <Card>
        <Tabs
          className="sf-wrap-tabs"
          activeKey={tab}
          onChange={(key) => navigate(`/admin?tab=${key}`)}
          items={[
            { key: 'users', label: t('admin.users'), children: <UsersTab /> },
            { key: 'keys', label: t('admin.apiKeys'), children: <ApiKeysTab /> },
            { key: 'calendar', label: t('admin.calendar'), children: <CalendarTab /> },
            { key: 'history', label: t('admin.history'), children: <HistoryTab /> },
            { key: 'audit', label: t('admin.audit'), children: <AuditTab /> },
          ]}
        />
      </Card>
    </>
  );
}

/** Institutions and assessment bodies, for the organisation selects and to name an organisation in a list. */
function useOrganisations() {
  const [orgs, setOrgs] = useState<{ value: string; label: string; name: string; kind: string }[]>([]);
  useEffect(() => {
    endpoints
      .institutions({ limit: 200 })
      .then((p) =>
        setOrgs(
          p.items.map((o) => ({ value: o.id, label: `${o.name}（${o.id}）`, name: o.name, kind: o.kind })),
        ),
      )
      .catch(() => setOrgs([]));
  }, []);
  return orgs;
}

/** An organisation by name (its id while the list loads, or when it is not an organisation at all). */
function orgName(orgs: { value: string; name: string }[], id: string | null | undefined) {
  if (!id) return '—';
  return orgs.find((o) => o.value === id)?.name ?? id;
}

/** 留痕 actions by name (an action this page does not know shows as its code, never as another). */

function UsersTab() {
  const { t, name } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const { user: me } = useSession();
  const list = useCursorList((cursor) => endpoints.users({ limit: 50, cursor }), []);
  const orgs = useOrganisations();
  const [form] = Form.useForm<UserBody>();
  const [renameForm] = Form.useForm<{ displayName: string }>();
  const [passwordForm] = Form.useForm<{ password: string }>();
  const [open, setOpen] = useState(false);
  const [renaming, setRenaming] = useState<AdminUser | null>(null);
  const [resetting, setResetting] = useState<AdminUser | null>(null);
  const role = Form.useWatch('role', form) as string | undefined;
  const orgRole = role === 'INSTITUTION' || role === 'ASSESSOR';
  const closed = (done: boolean) => done && list.reload();

  const setDisabled = async (u: AdminUser, disabled: boolean) => {
    try {
      await endpoints.updateUser(u.id, { disabled });
      message.success(t('common.success'));
      list.reload();
    } catch (e) {
      showError(e);
    }
  };

  return (
    <>
      <Space wrap>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="new-user">
          {t('admin.newUser')}
        </Button>
        <ExportButton load={endpoints.usersExport} filename="users.xlsx" testId="users-export" />
      </Space>
      <ResponsiveTable<AdminUser>
        rowKey="id"
        size="middle"
        style={{ marginTop: 16 }}
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        data-testid="users-table"
        columns={[
          { title: t('admin.username'), dataIndex: 'username' },
          { title: t('admin.displayName'), dataIndex: 'displayName' },
          { title: t('admin.role'), dataIndex: 'role', render: (r: string) => name(ROLE_NAMES[r], r) },
          {
            title: t('admin.organisation'),
            dataIndex: 'institutionId',
            render: (v: string | null) => orgName(orgs, v),
          },
          {
            title: t('admin.status'),
            dataIndex: 'disabled',
            render: (d: boolean) =>
              d ? <Tag color="red">{t('admin.disabled')}</Tag> : <Tag color="green">{t('admin.active')}</Tag>,
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, u) => (
              <Space size={4} wrap>
                <Button
                  size="small"
                  onClick={() => {
                    setRenaming(u);
                    renameForm.setFieldsValue({ displayName: u.displayName });
                  }}
                >
                  {t('admin.rename')}
                </Button>
                <Button size="small" onClick={() => setResetting(u)} data-testid="reset-password">
                  {t('admin.resetPassword')}
                </Button>
                {u.disabled ? (
                  <Button size="small" onClick={() => void setDisabled(u, false)} data-testid="enable-user">
                    {t('admin.enable')}
                  </Button>
                ) : (
                  <Popconfirm
                    title={t('admin.disableConfirm', { name: u.displayName })}
                    okText={t('admin.disable')}
                    cancelText={t('common.cancel')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => setDisabled(u, true)}
                    disabled={u.id === me?.id}
                  >
                    <Button size="small" danger disabled={u.id === me?.id} data-testid="disable-user">
                      {t('admin.disable')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <FormModal
        open={open}
        title={t('admin.newUser')}
        form={form}
        onSubmit={(v) => endpoints.createUser({ ...v, institutionId: orgRole ? v.institutionId : undefined })}
        onClose={(done) => {
          setOpen(false);
          closed(done);
        }}
      >
        <Form form={form} layout="vertical" preserve={false} initialValues={{ role: 'CASEWORKER' }}>
          <Form.Item name="username" label={t('admin.username')} rules={[{ required: true }]}>
            <Input maxLength={40} autoComplete="off" />
          </Form.Item>
          <Form.Item name="displayName" label={t('admin.displayName')} rules={[{ required: true }]}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="role" label={t('admin.role')} rules={[{ required: true }]}>
            <Select
              options={Object.entries(ROLE_NAMES).map(([value, n]) => ({ value, label: name(n, value) }))}
            />
          </Form.Item>
          {orgRole && (
            <Form.Item name="institutionId" label={t('admin.organisation')} rules={[{ required: true }]}>
              <Select
                showSearch
                optionFilterProp="label"
                options={orgs.filter((o) => o.kind === (role === 'ASSESSOR' ? 'ASSESSMENT' : 'TRAINING'))}
              />
            </Form.Item>
          )}
          <Form.Item
            name="password"
            label={t('admin.password')}
            rules={[{ required: true, min: 10, message: t('admin.passwordRule') }]}
          >
            <Input.Password maxLength={256} autoComplete="new-password" />
          </Form.Item>
        </Form>
      </FormModal>
      <FormModal
        open={renaming !== null}
        title={`${t('admin.rename')} · ${renaming?.username ?? ''}`}
        form={renameForm}
        onSubmit={(v) => endpoints.updateUser(renaming!.id, { displayName: v.displayName.trim() })}
        onClose={(done) => {
          setRenaming(null);
          closed(done);
        }}
      >
        <Form form={renameForm} layout="vertical" preserve={false}>
          <Form.Item
            name="displayName"
            label={t('admin.displayName')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input maxLength={60} />
          </Form.Item>
        </Form>
      </FormModal>
      <FormModal
        open={resetting !== null}
        title={`${t('admin.resetPassword')} · ${resetting?.username ?? ''}`}
        form={passwordForm}
        onSubmit={(v) => endpoints.resetPassword(resetting!.id, v.password)}
        onClose={(done) => {
          setResetting(null);
          closed(done);
        }}
      >
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('admin.resetHint')} />
        <Form form={passwordForm} layout="vertical" preserve={false}>
          <Form.Item
            name="password"
            label={t('admin.newPassword')}
            rules={[{ required: true, min: 10, message: t('admin.passwordRule') }]}
          >
            <Input.Password maxLength={256} autoComplete="new-password" data-testid="new-password" />
          </Form.Item>
        </Form>
      </FormModal>
    </>
  );
}

function ApiKeysTab() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const list = useCursorList((cursor) => endpoints.apiKeys({ limit: 50, cursor }), []);
  const orgs = useOrganisations();
  const [form] = Form.useForm<{ institutionId: string; label: string }>();
  const [issued, setIssued] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<{ key: string } | unknown>) => {
    setBusy(true);
    try {
      const r = await action();
      if (r && typeof r === 'object' && 'key' in r) setIssued((r as { key: string }).key);
      else message.success(t('common.success'));
      list.reload();
    } catch (e) {
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Form
        form={form}
        layout="inline"
        onFinish={(v) => run(() => endpoints.issueApiKey(v))}
        style={{ rowGap: 8 }}
      >
        <Form.Item
          name="institutionId"
          label={t('admin.organisation')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select
            showSearch
            optionFilterProp="label"
            placeholder={t('admin.organisation')}
            style={{ width: 320, maxWidth: 'calc(100vw - 165px)' }}
            options={orgs}
          />
        </Form.Item>
        <Form.Item
          name="label"
          label={t('admin.keyLabel')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input
            placeholder={t('admin.keyLabel')}
            maxLength={60}
            style={{ width: 220, maxWidth: 'calc(100vw - 165px)' }}
          />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          icon={<KeyOutlined />}
          loading={busy}
          data-testid="issue-key"
        >
          {t('admin.issueKey')}
        </Button>
      </Form>
      <ResponsiveTable<AdminApiKey>
        rowKey="id"
        size="middle"
        style={{ marginTop: 16 }}
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        columns={[
          { title: t('admin.key'), dataIndex: 'display', render: (v: string) => <code>{v}</code> },
          {
            title: t('admin.organisation'),
            dataIndex: 'institutionId',
            render: (v: string) => orgName(orgs, v),
          },
          { title: t('admin.keyLabel'), dataIndex: 'label' },
          { title: t('admin.createdAt'), dataIndex: 'createdAt', render: (v: string) => dateTime(v) },
          {
            title: t('admin.lastUsed'),
            dataIndex: 'lastUsedAt',
            render: (v: string | null) => dateTime(v ?? undefined),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, k) =>
              k.revokedAt ? (
                <Tag>{t('admin.revoked')}</Tag>
              ) : (
                <Space size="small">
                  <Popconfirm
                    title={t('admin.rotateConfirm')}
                    onConfirm={() => run(() => endpoints.rotateApiKey(k.id))}
                  >
                    <Button size="small">{t('admin.rotate')}</Button>
                  </Popconfirm>
                  <Popconfirm
                    title={t('admin.revokeConfirm')}
                    onConfirm={() => run(() => endpoints.revokeApiKey(k.id))}
                  >
                    <Button size="small" danger>
                      {t('admin.revoke')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      <Modal
        open={issued !== null}
        title={t('admin.keyIssued')}
        onOk={() => setIssued(null)}
        onCancel={() => setIssued(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
        okText={t('common.ok')}
        destroyOnHidden
      >
        <Alert type="warning" showIcon message={t('admin.keyOnce')} style={{ marginBottom: 12 }} />
        <Typography.Paragraph copyable code data-testid="issued-key">
          {issued}
        </Typography.Paragraph>
      </Modal>
    </>
  );
}

function AuditTab() {
  const { t, name } = useI18n();
  const list = useCursorList((cursor) => endpoints.audit({ limit: 50, cursor }), []);
  const orgs = useOrganisations();
  return (
    <>
      <div style={{ marginBottom: 12 }}>
        <ExportButton load={() => endpoints.auditExport({})} filename="audit.xlsx" testId="audit-export" />
      </div>
      <ResponsiveTable<AuditRow>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        data-testid="audit-table"
        columns={[
          { title: t('admin.at'), dataIndex: 'at', render: (v: string) => dateTime(v) },
          {
            title: t('admin.user'),
            key: 'user',
            render: (_, r) => <span title={r.userId}>{r.userName ?? r.userId}</span>,
          },
          {
            title: t('admin.action'),
            dataIndex: 'action',
            render: (a: string) => name(AUDIT_ACTION_NAMES[a], a),
          },
          {
            title: t('admin.subject'),
            dataIndex: 'subject',
            render: (v: string, r) => r.subjectName ?? orgName(orgs, v),
          },
          { title: t('admin.reason'), dataIndex: 'reason', render: (v: string | null) => v ?? '—' },
        ]}
      />
    </>
  );
}

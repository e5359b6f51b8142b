// 登录: username and password; the session cookie and CSRF token come back from the API.
import { LockOutlined, TranslationOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useApiError } from '../hooks';
import { useI18n } from '../i18n';
import { href, navigate, useLocation } from '../router';
import { homeFor, useSession } from '../session';

export function LoginPage() {
  const { t, lang, setLang } = useI18n();
  const { login } = useSession();
  const { path } = useLocation();
  const [form] = Form.useForm<{ username: string; password: string }>();
  const [busy, setBusy] = useState(false);
  const showError = useApiError();

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    try {
      const user = await login(values.username.trim(), values.password);
      // Stay on the page the user asked for (a deep link), else go to the role's home.
      navigate(path && path !== '/' && path !== '/login' ? path : homeFor(user));
    } catch (e) {
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sf-login">
      <Card
        className="sf-login-card"
        title={
          <div style={{ padding: '12px 0' }}>
            <Typography.Title level={3} style={{ margin: 0 }}>
              SkillFlow
            </Typography.Title>
            <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
          </div>
        }
        extra={
          <Button
            type="text"
            icon={<TranslationOutlined />}
            data-testid="lang-switch"
            onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}
          >
            {t('user.language')}
          </Button>
        }
      >
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            block
            size="large"
            loading={busy}
            data-testid="login-submit"
          >
            {t('login.submit')}
          </Button>
        </Form>
        <div style={{ marginTop: 16, textAlign: 'center' }}>
          <Space separator="·" wrap style={{ justifyContent: 'center' }}>
            <a href={href('/notices')}>{t('login.publicNotices')}</a>
            <a href={href('/me')} data-testid="self-service-link">
              {t('login.selfService')}
            </a>
          </Space>
        </div>
      </Card>
    </div>
  );
}

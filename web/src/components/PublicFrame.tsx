// The frame of the pages anyone may open without an account (公示, 个人查询): a dark bar with the page's name, the
// language switch and the way to the staff login; off the paper when printed.
import { TranslationOutlined } from '@ant-design/icons';
import { Button, Space } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import { href } from '../router';

export function PublicFrame({ title, children }: { title: string; children: ReactNode }) {
  const { t, lang, setLang } = useI18n();
  return (
    <div style={{ minHeight: '100vh' }}>
      <div className="sf-public-header sf-no-print">
        <strong style={{ fontSize: 16 }}>SkillFlow · {title}</strong>
        <Space>
          <Button
            type="text"
            style={{ color: '#fff' }}
            icon={<TranslationOutlined />}
            onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}
          >
            {t('user.language')}
          </Button>
          <Button type="primary" href={href('/login')}>
            {t('notices.login')}
          </Button>
        </Space>
      </div>
      <div className="sf-content">{children}</div>
    </div>
  );
}

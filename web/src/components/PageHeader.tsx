import type { ReactNode } from 'react';

/** The Ant Design Pro page header: title (with a sub-title and tags), actions on the right, then details. */
export function PageHeader({
  title,
  subTitle,
  tags,
  extra,
  children,
}: {
  title: ReactNode;
  subTitle?: ReactNode;
  tags?: ReactNode;
  extra?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className="sf-page-header">
      <div className="sf-page-header-row">
        <h1 className="sf-page-title" data-testid="page-title">
          {title}
          {subTitle && <span className="sf-page-sub">{subTitle}</span>}
          {tags && <span style={{ marginLeft: 12, verticalAlign: 'middle' }}>{tags}</span>}
        </h1>
        {extra && <div>{extra}</div>}
      </div>
      {children && <div style={{ marginTop: 12 }}>{children}</div>}
    </div>
  );
}

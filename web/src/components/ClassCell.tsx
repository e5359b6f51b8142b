// A class in a list (案件查询, 待办): its title linking to the case page, and below it in small grey type its id and
// whatever the list adds (the inbox adds the institution). One cell, so every list names a class the same way.
import type { ReactNode } from 'react';
import { href } from '../router';

export function ClassCell(props: { id: string; title?: string | null; detail?: ReactNode; testId?: string }) {
  return (
    <div>
      <a href={href(`/cases/${encodeURIComponent(props.id)}`)} data-testid={props.testId}>
        {props.title || props.id}
      </a>
      <div className="sf-muted" style={{ fontSize: 12 }}>
        {props.id}
        {props.detail ? <> · {props.detail}</> : null}
      </div>
    </div>
  );
}

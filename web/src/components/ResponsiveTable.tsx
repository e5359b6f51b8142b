// A table on a desk, cards on a phone (the inbox's pattern, pages/InboxPage.tsx). The same columns serve both:
// a card shows the first column as its head, the others as "label: value" lines, and the actions column (key
// 'actions') at its foot, so every action stays reachable at 390 px. A column whose `responsive` leaves out
// 'xs' is left off the card too; an expandable row shows its details inside the card.
import { Checkbox, Empty, Grid, Pagination, Spin, Table, type TableProps } from 'antd';
import type { ColumnType } from 'antd/es/table';
import { useState, type Key, type ReactNode } from 'react';

/** Below antd's `md` breakpoint (768 px): a phone, where lists become cards. */
export function usePhone(): boolean {
  const screens = Grid.useBreakpoint();
  return !screens.md;
}

type Props<T> = TableProps<T> & {
  /** the card's head on a phone (default: the first column) */
  phoneTitle?: (row: T, index: number) => ReactNode;
  /** what the table's summary row says, under the cards on a phone */
  phoneSummary?: ReactNode;
  'data-testid'?: string;
};

function valueAt(row: object, path: ColumnType<object>['dataIndex']): unknown {
  if (path === undefined || path === null) return undefined;
  const segs = Array.isArray(path) ? path : [path];
  let v: unknown = row;
  for (const s of segs)
    v = v && typeof v === 'object' ? (v as Record<string, unknown>)[String(s)] : undefined;
  return v;
}

function cellOf<T extends object>(col: ColumnType<T>, row: T, index: number): ReactNode {
  const value = valueAt(row, col.dataIndex as ColumnType<object>['dataIndex']);
  const out: unknown = col.render ? col.render(value, row, index) : value;
  // A render may answer { children, props } (cell spans): the card wants the content only.
  if (out && typeof out === 'object' && !Array.isArray(out) && 'children' in out && 'props' in out)
    return (out as { children: ReactNode }).children;
  return out as ReactNode;
}

function titleOf<T>(col: ColumnType<T>): ReactNode {
  return typeof col.title === 'function' ? col.title({}) : col.title;
}

const isActions = (col: { key?: Key }) => col.key === 'actions';

export function ResponsiveTable<T extends object>(props: Props<T>) {
  const phone = usePhone();
  const [localPage, setLocalPage] = useState(1);
  const { phoneTitle, phoneSummary, ...tableProps } = props;
  // While the first rows load, the spinner says so: no "暂无数据" under it.
  const loadingNow = typeof props.loading === 'object' ? props.loading.spinning : props.loading;
  if (!phone)
    return (
      <Table<T>
        {...tableProps}
        locale={loadingNow ? { ...tableProps.locale, emptyText: <span /> } : tableProps.locale}
      />
    );

  const columns = ((props.columns ?? []) as ColumnType<T>[]).filter(
    (c) => !c.hidden && (!c.responsive || c.responsive.includes('xs')),
  );
  const actions = columns.find(isActions);
  const [head, ...rest] = columns.filter((c) => c !== actions);
  const fields = phoneTitle ? columns.filter((c) => c !== actions) : rest;
  const all = (props.dataSource ?? []) as T[];
  const pagination = props.pagination;
  // A table that pages its own rows (no `total` given) pages the cards the same way.
  const localSize = pagination && pagination.total === undefined ? (pagination.pageSize ?? 10) : 0;
  const rows = localSize ? all.slice((localPage - 1) * localSize, localPage * localSize) : all;
  const keyOf = (row: T, i: number): Key =>
    typeof props.rowKey === 'function'
      ? props.rowKey(row, i)
      : ((valueAt(row, (props.rowKey as string | undefined) ?? 'key') as Key | undefined) ?? i);
  const selection = props.rowSelection;
  const selected = selection?.selectedRowKeys ?? [];
  const loading = typeof props.loading === 'object' ? props.loading.spinning : props.loading;
  const expandable = props.expandable;
  const empty = props.locale?.emptyText;

  return (
    <Spin spinning={!!loading}>
      <div className={`sf-cards ${props.className ?? ''}`} data-testid={props['data-testid']}>
        {rows.length === 0 && !loading && (
          <div className="sf-cards-empty">
            {typeof empty === 'function'
              ? empty()
              : (empty ?? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />)}
          </div>
        )}
        {rows.map((row, i) => {
          const key = keyOf(row, i);
          const details =
            expandable?.expandedRowRender && (expandable.rowExpandable?.(row) ?? true)
              ? expandable.expandedRowRender(row, i, 0, true)
              : null;
          const act = actions ? cellOf(actions, row, i) : null;
          return (
            <div className="sf-card" key={key} data-testid="list-card">
              <div className="sf-card-head">
                {selection && (
                  <Checkbox
                    checked={selected.includes(key)}
                    aria-label={String(key)}
                    onChange={(e) => {
                      const keys = e.target.checked ? [...selected, key] : selected.filter((k) => k !== key);
                      selection.onChange?.(
                        keys,
                        rows.filter((r, j) => keys.includes(keyOf(r, j))),
                        { type: 'single' },
                      );
                    }}
                  />
                )}
                <div className="sf-card-title">
                  {phoneTitle ? phoneTitle(row, i) : head ? cellOf(head, row, i) : null}
                </div>
              </div>
              {segmentsOf(fields, (col, j) => {
                const label = titleOf(col);
                const value = cellOf(col, row, i);
                const key = String(col.key ?? col.dataIndex ?? j);
                // An untitled column (a headerless list) reads as a line of its own, when it says anything;
                // outside the <dl>, which may hold only term and description pairs.
                if (label === undefined || label === null || label === '')
                  return {
                    line: true,
                    node:
                      value === null || value === undefined || value === '' ? null : (
                        <div className="sf-card-line" key={key}>
                          {value}
                        </div>
                      ),
                  };
                return {
                  line: false,
                  node: (
                    <div className="sf-card-field" key={key}>
                      <dt>{label}</dt>
                      <dd>{value ?? '—'}</dd>
                    </div>
                  ),
                };
              })}
              {act !== null && act !== undefined && act !== false && (
                <div className="sf-card-actions">{act}</div>
              )}
              {details && <div className="sf-card-details">{details}</div>}
            </div>
          );
        })}
        {phoneSummary && rows.length > 0 && <div className="sf-cards-summary">{phoneSummary}</div>}
        {localSize > 0 && all.length > localSize && (
          <Pagination
            simple
            size="small"
            style={{ marginTop: 12, textAlign: 'center' }}
            current={localPage}
            pageSize={localSize}
            total={all.length}
            onChange={setLocalPage}
          />
        )}
        {pagination && (pagination.total ?? 0) > 0 && (
          <Pagination
            simple
            size="small"
            style={{ marginTop: 12, textAlign: 'center' }}
            {...pagination}
            showSizeChanger={false}
          />
        )}
      </div>
    </Spin>
  );
}

/** Titled fields grouped into <dl>s in column order, with untitled lines between them. */
function segmentsOf<C>(
  cols: C[],
  render: (col: C, j: number) => { line: boolean; node: ReactNode },
): ReactNode[] {
  const out: ReactNode[] = [];
  let pairs: ReactNode[] = [];
  const flush = () => {
    if (pairs.length)
      out.push(
        <dl className="sf-card-fields" key={`dl${out.length}`}>
          {pairs}
        </dl>,
      );
    pairs = [];
  };
  cols.forEach((col, j) => {
    const { line, node } = render(col, j);
    if (!line) pairs.push(node);
    else if (node) {
      flush();
      out.push(node);
    }
  });
  flush();
  return out;
}

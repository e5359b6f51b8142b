// The inbox page by page with a total: the API pages by keyset (an opaque cursor per page), so the cursor of
// each page reached is kept; a jump ahead walks the pages in between (a day's inbox is a few pages).
import { useCallback, useEffect, useRef, useState } from 'react';
import { endpoints, type Task } from '../../api';
import { useApiError } from '../../hooks';

export type InboxQuery = Record<string, string>;

export interface TaskPages {
  items: Task[];
  total: number;
  page: number;
  pageSize: number;
  loading: boolean;
  setPage(page: number, pageSize: number): void;
  reload(): void;
}

export function useTaskPages(query: InboxQuery, initialPageSize = 20): TaskPages {
  const showError = useApiError();
  const [items, setItems] = useState<Task[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPageState] = useState(1);
  const [pageSize, setPageSize] = useState(initialPageSize);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  /** cursors[n] opens page n + 1 (cursors[0] is the first page: no cursor) */
  const cursors = useRef<(string | undefined)[]>([undefined]);
  const seq = useRef(0);
  const key = JSON.stringify(query);

  const asked = useRef(`${key}|${pageSize}`);

  useEffect(() => {
    // A new query or page size starts from the first page again.
    if (asked.current !== `${key}|${pageSize}`) {
      asked.current = `${key}|${pageSize}`;
      cursors.current = [undefined];
      if (page !== 1) {
        setPageState(1);
        return;
      }
    }
    const mine = ++seq.current;
    setLoading(true);
    const fetchPage = (cursor: string | undefined) => endpoints.tasks({ ...query, limit: pageSize, cursor });
    void (async () => {
      try {
        let n = Math.min(page, cursors.current.length);
        let answer = await fetchPage(cursors.current[n - 1]);
        while (n < page && answer.nextCursor) {
          cursors.current[n] = answer.nextCursor;
          n++;
          answer = await fetchPage(answer.nextCursor);
        }
        if (mine !== seq.current) return;
        if (answer.nextCursor) cursors.current[n] = answer.nextCursor;
        setItems(answer.items);
        // An API without the total (an older server) still pages: count what is known.
        setTotal(answer.total ?? (n - 1) * pageSize + answer.items.length + (answer.nextCursor ? 1 : 0));
        if (n !== page) setPageState(n);
      } catch (e) {
        if (mine === seq.current) showError(e);
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    })();
    // `key` stands for the query's content.
  }, [key, page, pageSize, tick, showError]);

  useEffect(
    () => () => {
      seq.current++;
    },
    [],
  );

  return {
    items,
    total,
    page,
    pageSize,
    loading,
    setPage: useCallback((next: number, size: number) => {
      setPageSize(size);
      setPageState(next);
    }, []),
    // Keyset cursors name positions, not rows: after tasks are done the same page is read again.
    reload: useCallback(() => setTick((n) => n + 1), []),
  };
}

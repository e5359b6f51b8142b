// 显示实名 for a limited time: names revealed (with a reason the API audits) stay shown REVEAL_MS, then the page
// masks them again by itself; a one-second tick drives the countdown while anything is shown.
import { useCallback, useEffect, useState } from 'react';
import { endpoints, type CaseView } from '../../api';

/** The API's REVEAL_MINUTES (api/routes/cases.ts). */
export const REVEAL_MINUTES = 5;
const REVEAL_MS = REVEAL_MINUTES * 60_000;

interface Shown {
  name: string;
  idNumber: string;
  until: number;
}

export interface Reveal {
  /** how many trainees are shown in clear now */
  count: number;
  /** until everything is masked again, in ms (0 when nothing is shown) */
  remainingMs: number;
  /** one trainee (enrollmentId) or the whole roster; rejects with the API's refusal */
  reveal(reason: string, enrollmentId?: string): Promise<void>;
  hide(): void;
  /** the case with the shown names filled in (every tab reads the same rows) */
  apply<T extends Pick<CaseView, 'trainees'>>(detail: T): T;
}

export function useReveal(classId: string): Reveal {
  const [shown, setShown] = useState<ReadonlyMap<string, Shown>>(new Map());
  const [now, setNow] = useState(() => Date.now());
  const active = shown.size > 0;

  useEffect(() => setShown(new Map()), [classId]);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  useEffect(() => {
    const live = [...shown].filter(([, s]) => s.until > now);
    if (live.length !== shown.size) setShown(new Map(live));
  }, [now, shown]);

  const reveal = useCallback(
    async (reason: string, enrollmentId?: string) => {
      const answer = await endpoints.reveal(classId, reason, enrollmentId);
      const until = Date.now() + REVEAL_MS;
      setShown((prev) => {
        const next = new Map(enrollmentId ? prev : []);
        for (const tr of answer.trainees)
          next.set(tr.enrollmentId, { name: tr.name, idNumber: tr.idNumber, until });
        return next;
      });
      setNow(Date.now());
    },
    [classId],
  );
  const hide = useCallback(() => setShown(new Map()), []);
  const apply = useCallback(
    <T extends Pick<CaseView, 'trainees'>>(detail: T): T =>
      shown.size
        ? {
            ...detail,
            trainees: detail.trainees.map((tr) => {
              const s = shown.get(tr.enrollmentId);
              return s ? { ...tr, name: s.name, idNumber: s.idNumber } : tr;
            }),
          }
        : detail,
    [shown],
  );
  const last = Math.max(0, ...[...shown.values()].map((s) => s.until));
  return { count: shown.size, remainingMs: Math.max(0, last - now), reveal, hide, apply };
}

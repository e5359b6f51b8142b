// Formatting at the edge: integer fen to yuan, instants to Asia/Shanghai dates (STYLE.md "Domain code").

/** 150000 → '¥1,500.00'; integer arithmetic only, so no float rounding shows up on screen. */
export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '—';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100).toString().padStart(2, '0');
  return `${sign}¥${whole}.${cents}`;
}

const dateParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function parts(value: string): Record<string, string> | null {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  return Object.fromEntries(dateParts.formatToParts(d).map((p) => [p.type, p.value]));
}

/** A calendar date stays as it is; an instant becomes its Asia/Shanghai date, YYYY-MM-DD. */
export function date(value: string | null | undefined): string {
  if (!value) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const p = parts(value);
  return p ? `${p.year}-${p.month}-${p.day}` : value;
}

/** An instant as YYYY-MM-DD HH:mm in Asia/Shanghai. */
export function dateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const p = parts(value);
  return p ? `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}` : value;
}

/** 0.8734 → '87.3%'; rates from the API are fractions between 0 and 1 (null: nothing to measure yet). */
export function percent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  return `${(rate * 100).toFixed(1)}%`;
}

/**
 * A deadline instant. Periods end at 24:00 of their last day (DOMAIN.md "How time is counted"), so midnight
 * in Asia/Shanghai reads as '2026-11-27 24:00' rather than the first minute of the next day.
 */
export function deadline(value: string | null | undefined): string {
  if (!value) return '—';
  const p = parts(value);
  if (!p) return value;
  if (p.hour === '00' && p.minute === '00') {
    const previous = parts(new Date(new Date(value).getTime() - 60_000).toISOString())!;
    return `${previous.year}-${previous.month}-${previous.day} 24:00`;
  }
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

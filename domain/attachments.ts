// 附件 (issue 15 point 11): the documents a case keeps — employment contracts, social-insurance proofs, business
// licences, attendance sheets, notice screenshots. What kinds there are, which files are taken (PDF, PNG, JPEG:
// what a scanner or a phone produces, and what a browser shows without running anything), how large, and the
// name a file is kept under. The type is read from the file's first bytes, never from what the sender claims.
import { unsafeCharacterIn } from './text';

export const ATTACHMENT_KINDS = [
  'LABOUR_CONTRACT',
  'SOCIAL_INSURANCE',
  'BUSINESS_LICENCE',
  'FLEXIBLE_EMPLOYMENT',
  'ATTENDANCE_SHEET',
  'NOTICE_SCREENSHOT',
  'OTHER',
] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export const ATTACHMENT_KIND_NAMES: Record<AttachmentKind, { zh: string; en: string }> = {
  LABOUR_CONTRACT: { zh: '劳动合同', en: 'Labour contract' },
  SOCIAL_INSURANCE: { zh: '社保缴费记录', en: 'Social-insurance record' },
  BUSINESS_LICENCE: { zh: '营业执照', en: 'Business licence' },
  FLEXIBLE_EMPLOYMENT: { zh: '灵活就业登记', en: 'Flexible-employment registration' },
  ATTENDANCE_SHEET: { zh: '考勤签到表', en: 'Attendance sheet' },
  NOTICE_SCREENSHOT: { zh: '公示截图', en: 'Notice screenshot' },
  OTHER: { zh: '其他材料', en: 'Other document' },
};

/** A scanned contract of a few pages fits; a video does not. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Per class: a class of 100 trainees with a few documents each, and its sheets, with room to spare. */
export const MAX_ATTACHMENTS_PER_CLASS = 1_000;

export const ATTACHMENT_TYPES = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
} as const;
export type AttachmentType = keyof typeof ATTACHMENT_TYPES;

const startsWith = (data: Uint8Array, magic: readonly number[]) =>
  data.length >= magic.length && magic.every((b, i) => data[i] === b);

/** The file's type from its first bytes (PDF, PNG, JPEG), or undefined for anything else. */
export function sniffAttachmentType(data: Uint8Array): AttachmentType | undefined {
  if (startsWith(data, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(data, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  return undefined;
}

const MAX_NAME = 120;

/**
 * The name a file is kept and offered under: the last part of what the sender gave (no folders), without
 * characters that could make it read as something else (controls, bidi, invisible) or break a header or a
 * path, at most 120 characters, and ending in the extension of its real type. Falls back to the kind's name.
 */
export function attachmentFileName(
  given: string | undefined,
  kind: AttachmentKind,
  type: AttachmentType,
): string {
  const ext = ATTACHMENT_TYPES[type];
  let base = (given ?? '').split(/[\\/]/).pop() ?? '';
  base = [...base]
    .filter((ch) => !unsafeCharacterIn(ch, {}) && !/["<>:|?*]/.test(ch))
    .join('')
    .trim()
    .replace(/^\.+/, '');
  base = base.replace(/\.[A-Za-z0-9]{1,5}$/, ''); // the sender's extension gives way to the real one
  if (!base) base = ATTACHMENT_KIND_NAMES[kind].zh;
  const chars = [...base];
  if (chars.length > MAX_NAME) base = chars.slice(0, MAX_NAME).join('');
  return `${base}.${ext}`;
}

// Roster files (xlsx or csv) and bank return files arrive as multipart/form-data (`file`) or as the body.
// Small and strict on purpose: the size is capped by the route; anything unreadable is a 400.
import type { Request } from 'express';
import ExcelJS from 'exceljs';
import { problems } from './problem';

export interface UploadedFile {
  filename?: string;
  contentType?: string;
  data: Buffer;
}

const unreadable = () =>
  problems.badRequest('FILE_UNREADABLE', {
    zh: '无法读取上传的文件',
    en: 'The uploaded file cannot be read',
  });

export function uploadedFile(req: Request, field = 'file'): UploadedFile {
  const body: unknown = req.body;
  const data = Buffer.isBuffer(body)
    ? body
    : typeof body === 'string'
      ? Buffer.from(body, 'utf8')
      : undefined;
  if (!data || data.length === 0)
    throw problems.badRequest('FILE_MISSING', { zh: '未上传文件', en: 'No file was uploaded' });
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(type)) return { data, contentType: type };
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b) throw unreadable();
  const delimiter = Buffer.from(`--${b}`);
  let pos = data.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    if (data.subarray(start, start + 2).toString() === '--') break;
    const next = data.indexOf(delimiter, start);
    if (next === -1) break;
    const part = data.subarray(start + 2, next - 2); // strip CRLF after the delimiter and before the next
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      if (name === field)
        return {
          filename: /filename="([^"]*)"/i.exec(headers)?.[1],
          contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1],
          data: part.subarray(headerEnd + 4),
        };
    }
    pos = next;
  }
  throw problems.badRequest('FILE_MISSING', { zh: '表单中没有file字段', en: 'The form has no `file` field' });
}

/** Text of a CSV: UTF-8 (with or without BOM), else GB18030 as Chinese Excel writes it. */
export function decodeText(data: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data).replace(/^\ufeff/, '');
  } catch {
    try {
      return new TextDecoder('gb18030').decode(data);
    } catch {
      throw unreadable();
    }
  }
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}

/** The first worksheet (xlsx) or the CSV as rows of cell texts; the first row is the header. */
export async function readTable(file: UploadedFile): Promise<string[][]> {
  const isZip = file.data.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  if (!isZip) return parseCsv(decodeText(file.data));
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(file.data as unknown as ArrayBuffer);
  } catch {
    throw unreadable();
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw unreadable();
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    rows.push(cells);
  });
  return rows;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v && v.result !== undefined && v.result !== null) return String(v.result);
  }
  return String(v);
}

// 附件: the type of a document is read from its first bytes, and its name is one a header, a folder and a screen
// all read the same way (domain/attachments.ts).
import { attachmentFileName, sniffAttachmentType } from '../../../domain/attachments';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('the type of a document', () => {
  it('is read from its first bytes: PDF, PNG, JPEG', () => {
    expect(sniffAttachmentType(Buffer.from('%PDF-1.4\n…'))).toBe('application/pdf');
    expect(sniffAttachmentType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(sniffAttachmentType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
  });

  it('is nothing taken for anything else, however it is named', () => {
    expect(sniffAttachmentType(Buffer.from('<html>'))).toBeUndefined();
    expect(sniffAttachmentType(Buffer.from('PK\x03\x04'))).toBeUndefined(); // a zip (or an .xlsx)
    expect(sniffAttachmentType(Buffer.from('%PDF'))).toBeUndefined(); // too short to be the header
    expect(sniffAttachmentType(bytes(0x89, 0x50, 0x4e, 0x47))).toBeUndefined();
    expect(sniffAttachmentType(bytes())).toBeUndefined();
  });
});

describe('the name a document is kept under', () => {
  it('keeps a Chinese name and ends in the extension of the real type', () => {
    expect(attachmentFileName('王芳 劳动合同.pdf', 'LABOUR_CONTRACT', 'application/pdf')).toBe(
      '王芳 劳动合同.pdf',
    );
    expect(attachmentFileName('scan.PDF', 'OTHER', 'image/jpeg')).toBe('scan.jpg');
    expect(attachmentFileName('photo', 'OTHER', 'image/png')).toBe('photo.png');
  });

  it('drops folders, controls, bidi and invisible characters and what a header or a path would misread', () => {
    expect(attachmentFileName('C:\\Users\\a\\合同.pdf', 'OTHER', 'application/pdf')).toBe('合同.pdf');
    expect(attachmentFileName('../../etc/passwd', 'OTHER', 'application/pdf')).toBe('passwd.pdf');
    expect(attachmentFileName('a\u202Efdp.exe', 'OTHER', 'application/pdf')).toBe('afdp.pdf');
    expect(attachmentFileName('a\u200Bb\u0007"c".pdf', 'OTHER', 'application/pdf')).toBe('abc.pdf');
    expect(attachmentFileName('...hidden.pdf', 'OTHER', 'application/pdf')).toBe('hidden.pdf');
  });

  it('falls back to the kind’s name and is at most 120 characters before the extension', () => {
    expect(attachmentFileName(undefined, 'SOCIAL_INSURANCE', 'image/png')).toBe('社保缴费记录.png');
    expect(attachmentFileName('///', 'ATTENDANCE_SHEET', 'application/pdf')).toBe('考勤签到表.pdf');
    const long = attachmentFileName('合'.repeat(300), 'OTHER', 'application/pdf');
    expect(long).toBe(`${'合'.repeat(120)}.pdf`);
  });
});

// Text safe by construction (issue 13): what could make stored text show something else is refused, with a
// field error in Chinese and English; everything else is kept as given. Person names are letters only.
import { checkText, spreadsheetText, unsafeCharacterIn } from '../../../domain/text';
import { validateName } from '../../../domain/identity';

describe('unsafe characters in text', () => {
  it.each([
    ['a right-to-left override', 'invoice\u202egnp.exe', 'BIDI', 'U+202E'],
    ['a left-to-right mark', '张\u200e三', 'BIDI', 'U+200E'],
    ['an Arabic letter mark', 'x\u061cy', 'BIDI', 'U+061C'],
    ['a first-strong isolate', '\u2068abc', 'BIDI', 'U+2068'],
    ['a pop directional isolate', 'abc\u2069', 'BIDI', 'U+2069'],
    ['a zero-width space', '张\u200b三', 'INVISIBLE', 'U+200B'],
    ['a zero-width joiner', 'a\u200db', 'INVISIBLE', 'U+200D'],
    ['a word joiner', 'a\u2060b', 'INVISIBLE', 'U+2060'],
    ['a byte-order mark', '\ufeff张三', 'INVISIBLE', 'U+FEFF'],
    ['a tag character', 'a\u{e0041}', 'INVISIBLE', 'U+E0041'],
    ['a NUL', 'a\u0000b', 'CONTROL', 'U+0000'],
    ['an escape (C0)', '\u001b[31mred', 'CONTROL', 'U+001B'],
    ['a DEL', 'a\u007f', 'CONTROL', 'U+007F'],
    ['a C1 control', 'a\u0085b', 'CONTROL', 'U+0085'],
    ['a lone surrogate', 'a\ud800b', 'SURROGATE', 'U+D800'],
  ])('finds %s', (_label, text, kind, codePoint) => {
    expect(unsafeCharacterIn(text, { lines: true })).toMatchObject({ kind, codePoint });
  });

  it('allows tab and newlines only in free text with lines', () => {
    for (const s of ['第一行\n第二行', 'a\tb', '第一行\r\n第二行']) {
      expect(unsafeCharacterIn(s, { lines: true })).toBeUndefined();
      expect(unsafeCharacterIn(s)).toMatchObject({ kind: 'CONTROL' });
    }
  });

  it.each([
    ['Chinese', '石家庄市长安区某物业公司'],
    ['markup, kept as given (the UI renders text, never HTML)', '<b>张三</b><script>alert(1)</script>'],
    ['a formula, kept as given (exports neutralise it)', '=HYPERLINK("http://x","点我")'],
    ['emoji outside the BMP', '👍 很好'],
    ['combining accents', 'e\u0301\u0301'],
    ['rare CJK outside the BMP', '𠮷野家'],
    ['a minority name with the middle dot', '买买提·艾力'],
  ])('keeps %s', (_label, text) => {
    expect(unsafeCharacterIn(text)).toBeUndefined();
  });

  it('names the field, the character and its position in Chinese and English', () => {
    expect(checkText('ab\u202ecd', 'reason')).toEqual({
      code: 'TEXT_UNSAFE_CHARACTER',
      field: 'reason',
      zh: '含有不允许的文字方向控制符（U+202E，第3个字符）',
      en: 'contains a text-direction (bidi) control (U+202E at position 3), which is not allowed',
    });
    // positions count characters, not UTF-16 units
    expect(unsafeCharacterIn('😀😀\u200b')?.position).toBe(3);
    expect(checkText('fine', 'reason')).toBeNull();
  });
});

describe('person names (实名制)', () => {
  it.each([['张三'], ['买买提·艾力'], ['John Smith'], ['Mary-Jane O’Neil'], ['王〇'], ['𠮷田']])(
    'accepts %p',
    (name) => expect(validateName(name)).toBeNull(),
  );

  it.each([
    ['a right-to-left override', '张\u202e三'],
    ['a zero-width space', '张\u200b三'],
    ['a zero-width joiner', '张\u200d三'],
    ['a BOM', '\ufeff张三'],
    ['HTML markup', '<b>张三</b>'],
    ['a script tag', '<script>alert(1)</script>'],
    ['a spreadsheet formula', '=HYPERLINK("http://x","张三")'],
    ['a leading plus', '+张三'],
    ['an at sign', '@张三'],
    ['a newline', '张\n三'],
  ])('refuses %s with a NAME_INVALID error on the name', (_label, name) => {
    const v = validateName(name);
    expect(v).toMatchObject({ code: 'NAME_INVALID', field: 'name' });
    expect(v?.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(v?.en).toMatch(/[a-z]/);
  });

  it('says which invisible character it found', () => {
    expect(validateName('张\u202e三')?.en).toContain('U+202E');
  });
});

describe('spreadsheet cells (OWASP CSV injection)', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
  ])('neutralises %p', (value, expected) => {
    expect(spreadsheetText(value)).toBe(expected);
  });

  it.each([['石家庄市智联职业培训学校'], ['a=b'], ['6222 0000'], ['']])('leaves %p alone', (value) => {
    expect(spreadsheetText(value)).toBe(value);
  });
});

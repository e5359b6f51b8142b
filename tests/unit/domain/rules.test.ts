import { fail, ok, violation } from '../../../domain/rules';

describe('rule violations', () => {
  it('carries a code, both messages and the field it concerns', () => {
    expect(violation('CLASS_FULL', '名额已满', 'The class is full', 'trainees')).toEqual({
      code: 'CLASS_FULL',
      field: 'trainees',
      zh: '名额已满',
      en: 'The class is full',
    });
  });

  it('leaves the field out when the violation concerns no single field', () => {
    expect(Object.keys(violation('X', '中', 'en'))).toEqual(['code', 'zh', 'en']);
  });

  it('wraps values and violations as results', () => {
    expect(ok(3)).toEqual({ ok: true, value: 3 });
    expect(fail(violation('X', '中', 'en'))).toEqual({
      ok: false,
      violations: [{ code: 'X', zh: '中', en: 'en' }],
    });
  });
});

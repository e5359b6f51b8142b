import { maskIdNumber, maskName } from '../../../domain/masking';

describe('masking for the public notice (公示)', () => {
  it.each([
    ['张三丰', '张*丰'],
    ['张三', '张*'],
    ['欧阳娜娜', '欧**娜'],
    ['张', '*'],
    ['买买提·艾力', '买**·*力'],
    ['阿·吉', '阿·*'],
    ['阿依古丽・买买提', '阿***·**提'],
    [' 张 三丰 ', '张 *丰'],
  ])('masks the name %p as %p', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it('shows the first 6 and last 4 characters of an ID number', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('11010519491231002x')).toBe('110105********002X');
  });

  it('masks numbers of other lengths too', () => {
    expect(maskIdNumber('E1234567')).toBe('E******7');
    expect(maskIdNumber('123')).toBe('***');
  });
});

// The web UI never renders stored text as HTML (issue 13): React escapes what it renders as text, so the only
// ways stored markup could run are the escape hatches below. Any of them in web/src fails this test.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const webSrc = join(__dirname, '../../../web/src');
const sources = (readdirSync(webSrc, { recursive: true }) as string[])
  .filter((f) => /\.(tsx?|jsx?|html)$/.test(f))
  .map((f) => join(webSrc, f));

/** Ways text becomes markup or code in a browser. */
const RAW_HTML: [string, RegExp][] = [
  ['dangerouslySetInnerHTML', /dangerouslySetInnerHTML/],
  ['innerHTML / outerHTML', /\.(inner|outer)HTML\b/],
  ['insertAdjacentHTML', /insertAdjacentHTML/],
  ['document.write', /document\.write(ln)?\s*\(/],
  ['createContextualFragment / DOMParser', /createContextualFragment|new\s+DOMParser/],
  ['an iframe srcdoc', /srcDoc|srcdoc/],
  ['eval / new Function', /\beval\s*\(|new\s+Function\s*\(/],
  ['a javascript: URL', /javascript:/i],
];

function findings(code: string, file: string): string[] {
  return RAW_HTML.filter(([, pattern]) => pattern.test(code)).map(([what]) => `${file}: ${what}`);
}

describe('the web UI renders stored text as text', () => {
  it('has sources to look at', () => {
    expect(sources.length).toBeGreaterThan(10);
  });

  it('uses no raw-HTML escape hatch anywhere in web/src', () => {
    const found = sources.flatMap((f) =>
      findings(readFileSync(f, 'utf8'), relative(webSrc, f).split(sep).join('/')),
    );
    expect(found).toEqual([]);
  });

  it.each([
    ['<div dangerouslySetInnerHTML={{ __html: row.name }} />'],
    ['el.innerHTML = notice.reason;'],
    ["ref.current.insertAdjacentHTML('beforeend', html)"],
    ['document.write(title)'],
    ['<a href="javascript:void(0)">x</a>'],
  ])('would catch %p', (code) => {
    expect(findings(code, 'x.tsx')).toHaveLength(1);
  });
});

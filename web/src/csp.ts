// What the page needs to run under the API's Content-Security-Policy (api/securityHeaders.ts): no eval, and
// <style> elements only with this page's nonce. Imported first by main.tsx, before anything else runs.
import { z } from 'zod';

/** The nonce the API wrote into index.html for this page (`<meta property="csp-nonce">`). */
export const cspNonce: string | undefined =
  document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;

// zod compiles object parsers with `new Function` when it may; the policy forbids eval, so it must not try.
z.config({ jitless: true });

// antd's styles get the nonce through ConfigProvider (App.tsx), but a few helpers it uses (the modal's scroll
// lock, scrollbar measurement, CSS feature checks) create <style> elements without one. Styles our own code
// creates carry the nonce; styles that arrive as markup (innerHTML, injected HTML) still do not.
if (cspNonce) {
  const createElement = document.createElement.bind(document);
  document.createElement = ((tagName: string, options?: ElementCreationOptions) => {
    const element = createElement(tagName, options);
    if (element instanceof HTMLStyleElement) element.nonce = cspNonce;
    return element;
  }) as typeof document.createElement;
}

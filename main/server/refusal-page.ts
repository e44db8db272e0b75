/**
 * The page a browser gets when its token is missing or wrong: what happened and what to do, in English
 * or Korean (from Accept-Language). A wrong token almost always means an old tab or bookmark from before
 * `visage serve --rotate-token`, or an address of another catalog.
 */
import type { IncomingMessage } from 'node:http';

const texts = {
  en: {
    title: 'Visage needs its address',
    missing:
      'This page was opened without its access token. Open the address that “visage serve” printed when it started (it ends in ?token=…).',
    wrong:
      'This address carries an old or different access token: the token was changed with “visage serve --rotate-token”, or the address belongs to another Visage library.',
    what: 'What to do: look at the terminal where “visage serve” runs and open the address it printed. If it is not running, start it again with “npx visage serve”.',
  },
  ko: {
    title: 'Visage 주소가 필요합니다',
    missing:
      '접근 토큰 없이 이 페이지를 열었습니다. “visage serve”가 시작할 때 출력한 주소(?token=…으로 끝남)를 여세요.',
    wrong:
      '이 주소의 접근 토큰이 오래되었거나 다릅니다. “visage serve --rotate-token”으로 토큰이 바뀌었거나 다른 Visage 라이브러리의 주소입니다.',
    what: '해결 방법: “visage serve”가 실행 중인 터미널에서 출력된 주소를 여세요. 실행 중이 아니면 “npx visage serve”로 다시 시작하세요.',
  },
} as const;

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function wantsHtml(req: IncomingMessage): boolean {
  return req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
}

export function refusalPage(req: IncomingMessage, status: 401 | 403): string {
  const lang = /^ko\b/i.test(req.headers['accept-language'] ?? '') ? 'ko' : 'en';
  const x = texts[lang];
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escape(x.title)}</title></head>
<body><main><h1>${escape(x.title)}</h1>
<p>${escape(status === 401 ? x.missing : x.wrong)}</p>
<p>${escape(x.what)}</p></main></body></html>
`;
}

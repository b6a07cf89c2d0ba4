/**
 * Error bodies as the original's web framework (webob) produced them, negotiated on the Accept
 * header (spec rest-api.md §1.1): `{"code", "title", "description"}` for JSON clients (the
 * Neutron agent sends `Accept: application/json`), a small HTML page otherwise. Clients only
 * look at the status; the description strings are kept identical for the logs.
 */
export const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
};

/** webob's explanation sentence of each status (the HTML page's first line). */
const EXPLANATIONS: Readonly<Record<number, (method: string) => string>> = {
  400: () => 'The server could not comply with the request since it is either malformed or otherwise incorrect.',
  404: () => 'The resource could not be found.',
  405: (m) => `The method ${m} is not allowed for this resource.`,
  500: () => 'The server has either erred or is incapable of performing the requested operation.',
};

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
}

export function wantsJson(accept: string): boolean {
  return /application\/json/i.test(accept);
}

export function errorBody(status: number, description: string | null, accept: string, method: string): { contentType: string; body: string } {
  const title = STATUS_TITLES[status] ?? 'Error';
  if (wantsJson(accept)) return { contentType: 'application/json', body: JSON.stringify({ code: status, title, description }) };
  const explanation = (EXPLANATIONS[status] ?? (() => ''))(method);
  const body =
    `<html>\n <head>\n  <title>${status} ${title}</title>\n </head>\n <body>\n  <h1>${status} ${title}</h1>\n` +
    `  ${explanation}<br /><br />\n${escapeHtml(description ?? '')}\n\n\n </body>\n</html>`;
  return { contentType: 'text/html; charset=UTF-8', body };
}

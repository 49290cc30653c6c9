// How Go's rest client words a non-2xx answer (apierrors.NewGenericServerResponse): a Status
// body speaks for itself; otherwise a fixed sentence per code, with a text/plain body quoted
// for server errors and kept for 403.
import { isStatus } from '@splitplane/apimachinery';

export interface HttpAnswer {
  statusCode: number;
  contentType: string;
  body: string;
}

/** Go's %q for the printable strings a body usually is. */
const goQuote = (s: string) => JSON.stringify(s);

const FIXED: Record<number, string> = {
  409: 'the server reported a conflict',
  404: 'the server could not find the requested resource',
  400: 'the server rejected our request for an unknown reason',
  401: 'the server has asked for the client to provide credentials',
  405: 'the server does not allow this method on the requested resource',
  422: 'the server rejected our request due to an error in our request',
  504: 'the server was unable to return a response in the time allotted, but may still be processing the request',
  429: 'the server has received too many requests and has asked us to try again later',
};

export function httpFailureMessage(res: HttpAnswer): string {
  try {
    const parsed: unknown = JSON.parse(res.body);
    if (isStatus(parsed) && parsed.message) return parsed.message;
  } catch {
    // not JSON: worded from the code below
  }
  const serverMessage =
    res.contentType.startsWith('text/plain') && res.body.trim() ? res.body.trim() : 'unknown';
  const code = res.statusCode;
  if (code === 403) return serverMessage;
  const fixed = FIXED[code];
  if (fixed) return fixed;
  if (code >= 500)
    return `an error on the server (${goQuote(serverMessage)}) has prevented the request from succeeding`;
  return `the server responded with the status code ${code} but did not return more information`;
}

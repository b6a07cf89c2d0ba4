/**
 * The two kinds of failure the REST API distinguishes (spec rest-api.md §1.1):
 * - ApiError: the request was refused by validation or a consistency check the original treats
 *   as the client's fault → 400 "API error: <message>";
 * - anything else (malformed route target, dataplane failure, exhausted allocator, bug…) → 500
 *   with a fixed sentence, the real reason only logged.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
}

/** A 500 whose message is worth logging as is (not a bug). */
export class InternalError extends Error {
  override readonly name = 'InternalError';
}

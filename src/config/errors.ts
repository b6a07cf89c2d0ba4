/**
 * Configuration errors and warnings. One error type with a stable code; the message is the
 * original daemon's text wherever oslo.config has one (`value required for option my_as in
 * group [BGP]`, `Failed to find some config files: …`, `Failed to parse …`), so operators and
 * scripts see the same words. Value errors name the file and line of the offending assignment.
 */

export type ConfigErrorCode =
  /** INI syntax error (message: oslo's `Failed to parse F: at F:L, <what>: '<line>'`). */
  | 'parse'
  /** A file could not be decoded (not UTF-8) or read (a directory, I/O error). */
  | 'read'
  /** Some `--config-file` (or the default file) does not exist. */
  | 'files-not-found'
  /** Some config file exists but cannot be opened (permissions). */
  | 'files-permission-denied'
  /** A `--config-dir` does not exist. */
  | 'dir-not-found'
  /** A value does not match its option's type. */
  | 'value'
  /** A required option has no value. */
  | 'required'
  /** `$option` / `${group.option}` substitution failed. */
  | 'substitution'
  /** Unknown dataplane driver name. */
  | 'driver'
  /** Values that are each valid but do not work together. */
  | 'invalid';

/** Where a value came from. */
export interface ValueOrigin {
  readonly kind: 'file' | 'env' | 'override' | 'default';
  /** Absolute file name (kind 'file'), variable name (kind 'env'). */
  readonly detail?: string;
  readonly line?: number;
}

export function originText(origin: ValueOrigin): string {
  switch (origin.kind) {
    case 'file':
      return `${origin.detail ?? '?'}:${origin.line ?? 0}`;
    case 'env':
      return `environment variable ${origin.detail ?? '?'}`;
    case 'override':
      return 'command line';
    case 'default':
      return 'default value';
  }
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly code: ConfigErrorCode,
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

export type ConfigWarningCode =
  | 'deprecated-option'
  | 'unknown-option'
  | 'unknown-section'
  | 'unused-driver-option'
  | 'lowercase-default'
  | 'obsolete-section'
  | 'legacy-log-file'
  | 'peer-hostname'
  | 'duplicate-peer'
  | 'passive-without-listener';

export interface ConfigWarning {
  readonly code: ConfigWarningCode;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
}

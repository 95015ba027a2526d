const STRATA_ERROR = Symbol.for('strata.error');

/** Root of every error Strata raises; `code` is stable and machine-readable. */
export class StrataError extends Error {
  readonly [STRATA_ERROR] = true;

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  /** Type guard that holds across package copies, where `instanceof` would not. */
  static isStrataError(error: unknown): error is StrataError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[STRATA_ERROR] === true;
  }
}

/** A business rule refused a command (HTTP 422 unless a subclass says otherwise). */
export class DomainError extends StrataError {}

/** The command targets something that does not exist (HTTP 404). */
export class NotFoundError extends DomainError {}

/** Configuration is missing or invalid; the message names the variable. */
export class ConfigurationError extends StrataError {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super('INVALID_CONFIGURATION', `${variable}: ${message}`);
  }
}

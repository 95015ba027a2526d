import { StrataError } from '../../errors/strata-error';
import { HTTP_LIMIT_VARIABLES } from './http-limits';

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** A JSON body nests arrays and objects deeper than the configured limit (HTTP 400). */
export class JsonTooDeepError extends StrataError {
  constructor(readonly maxDepth: number) {
    super(
      'JSON_TOO_DEEP',
      `The JSON body nests arrays or objects more than ${maxDepth} levels deep (${HTTP_LIMIT_VARIABLES.jsonMaxDepth}). Send a flatter document.`,
    );
  }
}

/**
 * Whether JSON text nests deeper than `maxDepth`, found in one pass over the characters
 * (brackets inside strings do not count) and before anything recursive (the parser, the request
 * fingerprint, validation) walks it, so a hostile body cannot overflow the stack. Malformed
 * text is left to the parser to refuse.
 */
export function jsonNestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === BACKSLASH) i += 1;
      else if (char === QUOTE) inString = false;
    } else if (char === QUOTE) {
      inString = true;
    } else if (char === OPEN_OBJECT || char === OPEN_ARRAY) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (char === CLOSE_OBJECT || char === CLOSE_ARRAY) {
      depth -= 1;
    }
  }
  return false;
}

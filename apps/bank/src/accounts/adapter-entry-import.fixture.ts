// Lint fixture (never compiled into the app): an app's source must not use the adapter entry point.
import { StrataError } from '@strata/core';
import { validateAppendInput } from '@strata/core/adapter';

export const used = [StrataError, validateAppendInput];

import type { StrataAppOptions } from '@strata/core';

/** What is the statements service's own in how it is run: its name, its OpenAPI document, and port 3001 unless `PORT` says. */
export const STATEMENTS_APP: StrataAppOptions = {
  name: 'statements',
  openApi: {
    title: 'Strata statements',
    version: '1',
    description: "A second service: account statements kept from the bank's integration events. Every error is application/problem+json (RFC 9457).",
  },
  // Beside the bank (3000) on one machine by default.
  env: { ...process.env, PORT: process.env['PORT']?.trim() || '3001' },
};

/**
 * HTTP header names of the tablet ↔ server protocol (see auth.ts for the scheme). Kept apart
 * from auth.ts so the tablet's HTTP client can name them without loading the zod schemas.
 */
export const ACTING_STAFF_HEADER = 'X-Acting-Staff';

/**
 * The bearer tokens the api accepts: Lotse's own (development, `npm run token`) and the
 * embedded identity provider's carry this issuer, audience and these claim names.
 */
export const ISSUER = 'lotse';
export const AUDIENCE = 'lotse-api';
export const OWN_CLAIMS = { agency: 'agency', roles: 'roles', offices: 'offices' };

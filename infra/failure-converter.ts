import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failures travel with their message and stack trace inside an encoded payload, so that
 * the payload codec encrypts them like everything else (docs/operating.md, "Personal data"). Loaded
 * by path: in the workflow bundle, by the worker and by the client.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });

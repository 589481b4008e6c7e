import { ApplicationFailure } from '@temporalio/activity';
import { NotDeliverable, postSigned } from '../infra/webhook-post.js';

/**
 * Posts a lead to a partner's webhook (infra/webhook-post.ts); a URL Lotse will not post to fails
 * the activity for good, any other failure is retried with backoff by Temporal.
 */
export async function postSignedWebhook(opts: Parameters<typeof postSigned>[0]): Promise<number> {
  try {
    return await postSigned(opts);
  } catch (err) {
    if (err instanceof NotDeliverable)
      throw ApplicationFailure.nonRetryable(`lead ${err.message}`, 'WebhookNotAllowed');
    throw err;
  }
}

import type { Offer } from '../domain/enquiry.js';
import { openOffer } from '../domain/parties.js';
import { leadFor, released } from '../domain/redaction.js';
import { postLeadWebhook, publishLead } from './activities.js';
import type { Enquiry } from './enquiry-state.js';

/** Sends leads to partners: on NATS at once, to their webhooks in the background. */
export class Leads {
  private readonly background: Promise<unknown>[] = [];

  constructor(private readonly enquiry: Enquiry) {}

  /** The lead on leads.<partner>, and to the partner's webhook in the background. */
  async send(partner: string, offer: Offer | null, actor: string, because: 'decision' | 'consent' | 'joint_handling') {
    const { enquiry } = this;
    const { state } = enquiry;
    const step = enquiry.record('lead_forwarded', actor, enquiry.responsible, {
      partner,
      ...(offer ? { respondBy: offer.respondBy } : {}),
      released: released(state),
      because,
    });
    const lead = leadFor(state, partner, offer);
    await publishLead({ lead, step, time: new Date().toISOString() });
    this.background.push(
      postLeadWebhook({ lead, step }).catch((err: Error) =>
        enquiry.record('lead_webhook_failed', 'system', enquiry.responsible, { partner, error: err.message }),
      ),
    );
  }

  /**
   * After the investor's consent: whoever holds the lead (the partner it is offered to
   * or that accepted it, the joint-handling partners) gets it in full.
   */
  async releaseInFull(by: string, jointPartners: string[]) {
    const { state } = this.enquiry;
    const holder = openOffer(state) ?? state.forwarding?.offers.find((o) => o.answer === 'accepted');
    if (holder) await this.send(holder.partner, holder, by, 'consent');
    for (const partner of jointPartners) await this.send(partner, null, by, 'consent');
  }

  /** Lets webhook deliveries still under way finish before the workflow completes. */
  async settled() {
    await Promise.all(this.background);
  }
}

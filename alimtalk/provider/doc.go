// Package provider is for Sender implementers: the code of an AlimTalk provider client (ssoda,
// and other providers to come) that turns a list of alimtalk.Message values into requests and
// the provider's answers back into one alimtalk.Result per message. Shop code does not need
// it: it calls a client's Send, or an alimtalk.Dispatcher.
//
// PrepareBatch validates and prepares every message exactly as the alimtalk.Dispatcher does
// (alimtalk.Message.Prepare with the message's template), keeps the invalid ones aside with
// StatusInvalid so that one bad number fails alone, and Batch.Complete merges the provider's
// answers back in the original order. Complete never lets a result claim more certainty than
// its error allows: a result marked rejected, invalid or not sent whose error says the outcome
// is unknown (errors.Is(err, kshop.ErrOutcomeUnknown)) comes back StatusUnknown. A provider
// client looks like this:
//
//	func (c *Client) Send(ctx context.Context, msgs []alimtalk.Message) ([]alimtalk.Result, error) {
//		b := provider.PrepareBatch(msgs, c.templates, c.limits)
//		if len(b.Ready) == 0 {
//			return b.Results(), nil
//		}
//		sent, err := c.sendPrepared(ctx, b.Ready) // one Result per b.Ready[i], or a call error
//		return b.Complete(sent, err)
//	}
//
// SplitByTemplate groups messages for providers whose requests carry one template each.
package provider

import type { Db } from '../db/client.js';
import { DAY, HOUR, MINUTE } from './calendar.js';
import { SURVEY_COMMENTS } from './catalog.js';
import type { DemoContext } from './context.js';
import type { Rng } from './rng.js';
import { SURVEYS } from './shape.js';

type WonDeal = { id: string; accountId: string; contactId: string; email: string; ownerId: string; closedAt: Date };

/**
 * The buyer survey of every won deal (DOMAIN.md section 6): 90 days after the close the buyer was asked "How was
 * the buying process, 1 to 5?". Deals closed longer ago than that have been asked: most rated (a few days after
 * the email, some after the reminder), some have not answered yet, a few unsubscribed. Younger deals have their
 * survey scheduled. Ratings follow the rep's profile (people.ts `buyerRating`), a little lower where the customer
 * missed its aha milestone: the "churn and burn" closer is rated low, the trusted advisor near five stars.
 */
export async function writeSurveys(tx: Db, ctx: DemoContext, rng: Rng) {
  const deals = await tx.query<WonDeal>(
    `select o.id, o.account_id as "accountId", o.contact_id as "contactId", c.email_normalized as email, o.owner_id as "ownerId",
            o.closed_at as "closedAt"
       from opportunities o join contacts c on c.id = o.contact_id
      where o.workspace_id = $1 and o.stage = 'won' order by o.closed_at, o.id`,
    [ctx.workspaceId],
  );
  const meanOf = new Map([...ctx.reps.values()].map((r) => [r.id, r.person.buyerRating]));
  const ratings = new Ratings(ctx, rng);
  for (const d of deals) {
    const closed = d.closedAt.getTime();
    const sendAt = closed + SURVEYS.delayDays * DAY;
    const row = (
      status: string,
      o: { sent?: number; reminded?: number; rating?: number; rated?: number; comment?: string; at?: number } = {},
    ) =>
      ctx.w.add(
        'buyer_surveys',
        ctx.ids.next(),
        d.id,
        d.accountId,
        d.ownerId,
        d.contactId,
        d.email,
        status,
        sendAt,
        o.sent,
        o.reminded,
        o.rating,
        o.rated,
        o.comment,
        closed,
        o.at ?? closed,
      );
    if (sendAt > ctx.now) {
      row('scheduled');
      continue;
    }
    const sent = Math.min(ctx.now, sendAt + rng.int(1, 40) * MINUTE);
    const reminder = sent + SURVEYS.reminderDays * DAY;
    const outcome = rng.float();
    if (outcome < SURVEYS.unsubscribed) {
      row('unsubscribed', { sent, at: Math.min(ctx.now, sent + rng.int(1, 72) * HOUR) });
      continue;
    }
    const late = rng.chance(SURVEYS.afterReminder);
    const rated = late ? reminder + rng.float() * 3 * DAY : sent + (0.05 + rng.float() * 5) * DAY;
    const reminded = (late || outcome >= SURVEYS.unsubscribed + SURVEYS.answered) && reminder <= ctx.now ? reminder : undefined;
    const waiting = reminded ? 'reminded' : 'sent';
    if (outcome >= SURVEYS.unsubscribed + SURVEYS.answered || rated > ctx.now) {
      row(waiting, { sent, reminded, at: reminded ?? sent });
      continue;
    }
    const rating = ratings.next(d, meanOf.get(d.ownerId) ?? SURVEYS.usualRating);
    const comment = rng.chance(SURVEYS.commented) ? rng.pick(SURVEY_COMMENTS[rating]) : undefined;
    row('rated', { sent, reminded, rating, rated, comment, at: rated });
  }
  await ctx.w.flush();
  // Unsubscribed buyers are suppressed, as the unsubscribe link does it.
  await tx.query(
    `insert into survey_suppressions (workspace_id, email_normalized, survey_id, created_at)
     select workspace_id, buyer_email, id, updated_at from buyer_surveys where workspace_id = $1 and status = 'unsubscribed'
     on conflict do nothing`,
    [ctx.workspaceId],
  );
}

/**
 * Ratings that keep to each rep's mean at any count, so the leaderboard tells the same story on a small demo: each
 * draw is the mean plus noise plus what the rep's ratings so far fell short of it (error diffusion), rounded to 1-5.
 */
class Ratings {
  private readonly owed = new Map<string, number>();
  constructor(
    private readonly ctx: DemoContext,
    private readonly rng: Rng,
  ) {}

  next(d: WonDeal, repMean: number): 1 | 2 | 3 | 4 | 5 {
    const aha = this.ctx.success.aha.get(d.accountId);
    // Mean-preserving over the rep's customers: +tilt x (1 - chance) when reached, -tilt x chance when missed.
    const tilt = !aha ? 0 : aha.reached ? SURVEYS.ahaTilt * (1 - aha.chance) : -SURVEYS.ahaTilt * aha.chance;
    const mean = Math.min(5, Math.max(1, repMean + tilt));
    const owed = this.owed.get(d.ownerId) ?? 0;
    const rating = Math.min(5, Math.max(1, Math.round(mean + owed + this.rng.normal() * SURVEYS.ratingNoise))) as 1 | 2 | 3 | 4 | 5;
    this.owed.set(d.ownerId, owed + mean - rating);
    return rating;
  }
}

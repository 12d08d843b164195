package io.shopkeeper.schemas.offers;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Frequency caps: a campaign's own ({@link Campaign.Cap}: at most N per period per visitor) and the
 * global one across campaigns (configured for the job). Both count assigned decisions (sent and
 * held out alike), so the holdout group is capped exactly as the treated one.
 */
public final class Caps {
    private Caps() {}

    /** The global cap: at most {@code maxOffers} assigned decisions per visitor per {@code per}. */
    public record Global(int maxOffers, Duration per) {
        public static final Global NONE = new Global(Integer.MAX_VALUE, Duration.ofDays(1));

        public Global {
            if (maxOffers < 1) throw new IllegalArgumentException("maxOffers must be >= 1");
        }
    }

    /** An earlier assigned decision about the visitor: which campaign, when (epoch millis). */
    public record Assigned(String campaignId, long at) {}

    /**
     * How many earlier decisions of {@code campaignId} fall in the cap window ending at {@code at}.
     */
    public static int inCampaignWindow(
            List<Assigned> history, String campaignId, Duration per, Instant at) {
        long from = at.toEpochMilli() - per.toMillis();
        int n = 0;
        for (Assigned a : history) {
            if (a.campaignId().equals(campaignId) && a.at() > from && a.at() <= at.toEpochMilli())
                n++;
        }
        return n;
    }

    /** Null when {@code campaign} may assign at {@code at}, else the reason it is capped. */
    public static String capReason(
            Campaign campaign, Global global, List<Assigned> history, Instant at) {
        Campaign.Cap cap = campaign.cap();
        if (inCampaignWindow(history, campaign.id(), cap.perDuration(), at) >= cap.perCustomer()) {
            return "campaign_cap";
        }
        long from = at.toEpochMilli() - global.per().toMillis();
        long inGlobal =
                history.stream().filter(a -> a.at() > from && a.at() <= at.toEpochMilli()).count();
        return inGlobal >= global.maxOffers() ? "global_cap" : null;
    }
}

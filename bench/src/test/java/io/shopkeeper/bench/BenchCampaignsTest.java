package io.shopkeeper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.launcher.QuickStartCommand;
import io.shopkeeper.schemas.ProfileDocument;
import io.shopkeeper.schemas.offers.Campaign;
import io.shopkeeper.schemas.offers.Campaign.TriggerType;
import io.shopkeeper.schemas.offers.CampaignCodec;
import io.shopkeeper.schemas.offers.Caps;
import io.shopkeeper.schemas.offers.Decision.Outcome;
import io.shopkeeper.schemas.offers.OfferDecider;
import io.shopkeeper.schemas.offers.ProfileFacts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The 20 campaigns of the offers benchmarks: valid, varied, and the probes' one decides. */
class BenchCampaignsTest {
    @Test
    void twentyValidCampaignsOfEveryTriggerChannelAndOfferKind() throws IOException {
        List<Campaign> all = all();
        assertThat(BenchCampaigns.ids()).hasSize(20).doesNotHaveDuplicates();
        assertThat(all).extracting(Campaign::status).containsOnly(Campaign.Status.LIVE);
        assertThat(all.stream().map(c -> c.trigger().type()).collect(Collectors.toSet()))
                .isEqualTo(EnumSet.allOf(TriggerType.class));
        assertThat(all.stream().map(Campaign::channel).collect(Collectors.toSet()))
                .isEqualTo(EnumSet.allOf(Campaign.Channel.class));
        assertThat(all.stream().map(c -> c.offer().kind()).collect(Collectors.toSet()))
                .isEqualTo(EnumSet.allOf(Campaign.OfferKind.class));
        assertThat(all.stream().filter(c -> c.audience() != null && !c.audience().isBlank()))
                .hasSizeGreaterThanOrEqualTo(9);
    }

    @Test
    void aProbeLeavingAtThePriceEarnsTheBargainCoupon() throws IOException {
        // A probe: a fresh anonymous visitor flagged price-sensitive in its first session, who
        // already got the deals list when it joined the price_sensitive segment.
        ProfileDocument p = new ProfileDocument();
        p.setEvents(3);
        p.setSessions(1);
        p.setPriceSensitive(new ProfileDocument.Signal(0.85, true, List.of("coupon_search"), 1));
        Map<String, Object> facts = ProfileFacts.of(p);
        Instant at = Instant.parse("2026-11-26T01:00:00Z");
        List<Campaign> leftAtPrice =
                all().stream()
                        .filter(c -> c.trigger().type() == TriggerType.LEFT_AT_PRICE)
                        .toList();
        assertThat(leftAtPrice).hasSizeGreaterThanOrEqualTo(3);
        String probe = "anon-probe-t-1";
        for (int i = 2; !DecisionBenchmark.isOutsideHoldouts(probe, "bargain-coupon", 10, 0); i++)
            probe = "anon-probe-t-" + i;
        List<OfferDecider.Result> results =
                new OfferDecider(new Caps.Global(3, Duration.ofDays(7)), 0)
                        .decide(
                                probe,
                                leftAtPrice,
                                facts,
                                List.of(
                                        new Caps.Assigned(
                                                "deals-for-bargain-hunters",
                                                at.minusSeconds(1).toEpochMilli())),
                                "left_at_price:i26",
                                at);
        List<OfferDecider.Result> sent =
                results.stream().filter(r -> r.decision().outcome() == Outcome.SENT).toList();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).decision().campaignId()).isEqualTo(BenchCampaigns.PROBED);
    }

    private static List<Campaign> all() throws IOException {
        List<String> json = new ArrayList<>();
        for (String id : QuickStartCommand.EXAMPLE_CAMPAIGNS) {
            try (InputStream in =
                    QuickStartCommand.class.getResourceAsStream("/campaigns/" + id + ".json")) {
                json.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        for (JsonNode c : BenchCampaigns.extra()) json.add(c.toString());
        List<Campaign> out = new ArrayList<>();
        for (String j : json) {
            CampaignCodec.Result r = CampaignCodec.decode(j);
            assertThat(r.error()).as(j).isNull();
            out.add(r.campaign());
        }
        assertThat(out.stream().map(Campaign::id).collect(Collectors.toList()))
                .isEqualTo(BenchCampaigns.ids());
        return out;
    }
}

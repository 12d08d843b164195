package io.shopkeeper.api.offers;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.shopkeeper.api.store.OfferStore;
import io.shopkeeper.api.store.OfferStore.VisitorOffers;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.RecommendationListCodec;
import io.shopkeeper.schemas.ScoredItem;
import io.shopkeeper.schemas.offers.Campaign.OfferKind;
import io.shopkeeper.schemas.offers.Decision;
import io.shopkeeper.schemas.offers.Offer;
import io.shopkeeper.schemas.offers.OfferIds;
import io.shopkeeper.schemas.offers.RecommendationCounters;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the job decided about visitors, as served: a visitor's active onsite offers (an anonymous id
 * stitched to a customer also gets the customer's), their decision history, and the
 * per-recommendation-strategy results. Unreadable stored values are skipped (logged).
 */
public final class OfferService {
    private static final Logger LOG = LoggerFactory.getLogger(OfferService.class);

    /** Most offers one answer holds (newest first). */
    public static final int MAX_OFFERS = 20;

    /** Items of a guided-list ({@code recommendations}) offer. */
    public static final int GUIDED_LIST_ITEMS = 5;

    /** Most days {@code GET /v1/recommendations/results} covers. */
    public static final int MAX_RESULT_DAYS = 90;

    private final OfferStore store;
    private final Clock clock;

    public OfferService(OfferStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public record Offers(List<Offer> offers) {}

    public record History(String customer, List<Decision> decisions) {}

    /** One strategy on one kind of page over the period. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StrategyResults(
            String strategy,
            String context,
            long impressions,
            long clicks,
            Double clickThroughRate,
            long orders,
            double revenue) {}

    public record RecommendationResults(
            LocalDate since, LocalDate until, List<StrategyResults> strategies) {}

    /**
     * The visitor's offers not yet expired, newest first; an empty list when none. Without {@code
     * codes} (the caller has not proved it speaks for the visitor) every coupon code is masked
     * ({@link OfferIds#mask}): the storefront key is public, and anyone holding it could otherwise
     * read any visitor's coupons by their id.
     */
    public Offers offers(String visitorId, boolean codes) {
        Offers all = offers(visitorId);
        if (codes) return all;
        return new Offers(all.offers().stream().map(Offer::withCouponCodeMasked).toList());
    }

    /** The visitor's offers not yet expired, newest first, coupon codes in full. */
    public Offers offers(String visitorId) {
        Instant now = clock.instant();
        VisitorOffers own = store.visitorOffers(visitorId);
        List<Offer> offers = new ArrayList<>(parse(own, now));
        if (own.aliasOf() != null && !own.aliasOf().equals(visitorId)) {
            offers.addAll(parse(store.visitorOffers(own.aliasOf()), now));
        }
        offers.sort(
                Comparator.comparing(Offer::createdAt).reversed().thenComparing(Offer::offerId));
        return new Offers(offers.size() > MAX_OFFERS ? offers.subList(0, MAX_OFFERS) : offers);
    }

    public History history(String visitorId, int max) {
        List<Decision> decisions = new ArrayList<>();
        for (String json : store.history(visitorId, max)) {
            try {
                decisions.add(EventCodec.mapper().readValue(json, Decision.class));
            } catch (IOException e) {
                LOG.warn("skipping an unreadable decision of {}: {}", visitorId, e.getMessage());
            }
        }
        return new History(visitorId, decisions);
    }

    /** The per-strategy-and-context figures from {@code since} to today (UTC), summed over days. */
    public RecommendationResults recommendationResults(LocalDate since) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<String> days = new ArrayList<>();
        for (LocalDate d = since; !d.isAfter(today); d = d.plusDays(1)) days.add(d.toString());
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, Double> revenue = new LinkedHashMap<>();
        for (Map<String, String> day : store.recommendationCounters(days).values()) {
            for (var e : day.entrySet()) {
                int last = e.getKey().lastIndexOf(RecommendationCounters.SEPARATOR);
                if (last <= 0) continue;
                String key = e.getKey().substring(0, last);
                String metric = e.getKey().substring(last + 1);
                double value;
                try {
                    value = Double.parseDouble(e.getValue());
                } catch (NumberFormatException ex) {
                    continue;
                }
                long[] c = counts.computeIfAbsent(key, k -> new long[3]);
                switch (metric) {
                    case RecommendationCounters.IMPRESSIONS -> c[0] += (long) value;
                    case RecommendationCounters.CLICKS -> c[1] += (long) value;
                    case RecommendationCounters.ORDERS -> c[2] += (long) value;
                    case RecommendationCounters.REVENUE -> revenue.merge(key, value, Double::sum);
                    default -> {}
                }
            }
        }
        List<StrategyResults> strategies = new ArrayList<>();
        counts.forEach(
                (key, c) -> {
                    int sep = key.indexOf(RecommendationCounters.SEPARATOR);
                    if (sep < 0) return;
                    strategies.add(
                            new StrategyResults(
                                    key.substring(0, sep),
                                    key.substring(sep + 1),
                                    c[0],
                                    c[1],
                                    c[0] > 0 ? Math.round(10_000.0 * c[1] / c[0]) / 10_000.0 : null,
                                    c[2],
                                    Math.round(revenue.getOrDefault(key, 0.0) * 100) / 100.0));
                });
        strategies.sort(
                Comparator.comparing(StrategyResults::strategy)
                        .thenComparing(StrategyResults::context));
        return new RecommendationResults(since, today, strategies);
    }

    private List<Offer> parse(VisitorOffers stored, Instant now) {
        List<Offer> offers = new ArrayList<>();
        List<String> guidedList = null;
        for (String json : stored.offers()) {
            Offer offer;
            try {
                offer = EventCodec.mapper().readValue(json, Offer.class);
            } catch (IOException e) {
                LOG.warn("skipping an unreadable offer: {}", e.getMessage());
                continue;
            }
            if (offer.expiresAt() == null || !offer.expiresAt().isAfter(now)) continue;
            if (offer.kind() == OfferKind.RECOMMENDATIONS) {
                if (guidedList == null) guidedList = itemIds(stored.recommendations());
                offer = offer.withItems(guidedList);
            }
            offers.add(offer);
        }
        return offers;
    }

    /** The first item ids of a stored recommendation list; empty when none or unreadable. */
    private static List<String> itemIds(String listJson) {
        if (listJson == null) return List.of();
        try {
            List<String> ids = new ArrayList<>();
            for (ScoredItem item : RecommendationListCodec.decode(listJson).getItems()) {
                if (ids.size() == GUIDED_LIST_ITEMS) break;
                if (item.getItemId() != null) ids.add(item.getItemId());
            }
            return ids;
        } catch (IOException e) {
            return List.of();
        }
    }
}

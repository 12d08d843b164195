package io.shopkeeper.jobs.offers;

import io.shopkeeper.jobs.JobConfig;
import io.shopkeeper.jobs.PersonalizationJob;
import io.shopkeeper.jobs.profile.ProfileUpdate;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.jobs.types.WriteBackBroadcastOperator;
import io.shopkeeper.schemas.ShopEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.AbstractDeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The offers sub-topology (issue 9): campaign definitions (JSON, as on the compacted {@code
 * campaigns} topic) broadcast into the item interest index and the per-visitor decisions, fed by
 * the profile steps and the catalog; campaign results summed per campaign; the recommendation
 * results (impressions, clicks, orders and revenue per strategy, context and day) from the steps
 * carrying a recommendation id.
 *
 * <pre>
 * campaigns ------------------------------------ broadcast --+------------------+
 * profile steps -> views, carts -> keyBy item: interest index (price drop, restock)
 *             \-> moments ------------------------+-> keyBy visitor: decisions -> Redis offers, history
 * offer-handovers topic (a stitched visitor's state) -^           |-> offers topic (exactly once)
 *                                                              |-> offer-handovers topic
 *                                                              \-> keyBy campaign: results -> Redis
 *             \-> recommendation impressions, clicks, orders -> keyBy visitor: attribution
 *                                                 -> keyBy day and counter: results -> Redis
 * </pre>
 */
public final class Offers {
    private Offers() {}

    /**
     * Returns the Redis writes; outbound offers go to {@code outbound}. The offer state of a
     * stitched anonymous id goes to {@code handoversOut} and must come back as {@code handoversIn}
     * (the {@code offer-handovers} topic; without it, that state is dropped at the stitch).
     */
    public static DataStream<RedisWrite> define(
            DataStream<ProfileUpdate> profiles,
            DataStream<ShopEvent> events,
            DataStream<String> campaigns,
            DataStream<OfferHandover> handoversIn,
            Sink<OutboundOffer> outbound,
            Sink<OfferHandover> handoversOut,
            JobConfig config) {
        BroadcastStream<String> definitions = campaigns.broadcast(CampaignBook.DEFINITIONS);
        DataStream<OfferMoment> itemMoments =
                profiles.flatMap(new OfferMoments.ToInterest())
                        .name("offer-item-interest")
                        .uid("offer-item-interest")
                        .union(
                                events.flatMap(new OfferMoments.ToItemUpdates())
                                        .name("offer-item-updates")
                                        .uid("offer-item-updates"))
                        .keyBy(ItemSignal::getItemId)
                        .connect(definitions)
                        .process(
                                new ItemInterestFunction(
                                        config.offersInterestWindow(), config.profileTtl()))
                        .name("offer-item-index")
                        .uid("offer-item-index");
        DataStream<OfferMoment> moments =
                profiles.flatMap(new OfferMoments.ToMoments())
                        .name("offer-moments")
                        .uid("offer-moments");
        DataStream<OfferMoment> handovers =
                handoversIn
                        .map(OfferHandover::toMoment)
                        .name("offer-handovers-in")
                        .uid("offer-handovers-in");
        SingleOutputStreamOperator<RedisWrite> decisions =
                WriteBackBroadcastOperator.process(
                                moments.union(itemMoments, handovers)
                                        .keyBy(OfferMoment::getVisitorId),
                                definitions,
                                new OfferDecisionFunction(
                                        config.offersGlobalCap(),
                                        config.offersGlobalHoldout(),
                                        config.profileTtl()),
                                TypeInformation.of(RedisWrite.class))
                        .name("offer-decisions")
                        .uid("offer-decisions");
        decisions
                .getSideOutput(OfferDecisionFunction.OUTBOUND)
                .sinkTo(outbound)
                .name("offers-sink")
                .uid("offers-sink");
        decisions
                .getSideOutput(OfferDecisionFunction.HANDOVERS)
                .sinkTo(handoversOut)
                .name("offer-handovers-sink")
                .uid("offer-handovers-sink");
        DataStream<RedisWrite> results =
                decisions
                        .getSideOutput(OfferDecisionFunction.RESULTS)
                        .keyBy(ResultDelta::getCampaignId)
                        .process(new CampaignResultsFunction())
                        .name("campaign-results")
                        .uid("campaign-results")
                        .setBufferTimeout(PersonalizationJob.sidePathBufferTimeout(config));
        DataStream<RedisWrite> recommendationResults =
                moments.filter(RecommendationAttributionFunction::reads)
                        .name("recommendation-touches")
                        .uid("recommendation-touches")
                        .setBufferTimeout(PersonalizationJob.sidePathBufferTimeout(config))
                        .keyBy(OfferMoment::getVisitorId)
                        .process(new RecommendationAttributionFunction())
                        .name("recommendation-attribution")
                        .uid("recommendation-attribution")
                        .setBufferTimeout(PersonalizationJob.sidePathBufferTimeout(config))
                        .keyBy(RecommendationDelta::counter)
                        .process(
                                new RecommendationResultsFunction(
                                        config.eventTimePolicy().maxAge().plusDays(1)))
                        .name("recommendation-results")
                        .uid("recommendation-results")
                        .setBufferTimeout(PersonalizationJob.sidePathBufferTimeout(config));
        return decisions.union(results, recommendationResults);
    }

    /**
     * Campaign definitions carry no event time: their source emits no watermark and goes idle after
     * {@code idleness} without a definition, so the operators they are broadcast into follow the
     * event stream's watermark alone (an idle input is ignored, and one that wakes up behind does
     * not hold the others back). Never the end of time: that would fire every timer at once
     * whenever the event stream idles, and keep event time there for good.
     */
    public static WatermarkStrategy<String> campaignWatermarks(Duration idleness) {
        return WatermarkStrategy.<String>noWatermarks().withIdleness(idleness);
    }

    /** A {@code campaigns} record's value as text; a tombstone (null) is skipped. */
    public static final class DefinitionText extends AbstractDeserializationSchema<String> {
        @Override
        public String deserialize(byte[] message) {
            return message == null ? null : new String(message, StandardCharsets.UTF_8);
        }
    }
}

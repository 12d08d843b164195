package io.shopkeeper.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.embedded.EmbeddedKafka;
import io.shopkeeper.jobs.offers.CampaignBook;
import io.shopkeeper.jobs.offers.OfferDecisionFunction;
import io.shopkeeper.jobs.offers.OfferMoment;
import io.shopkeeper.jobs.offers.OutboundOffer;
import io.shopkeeper.jobs.profile.CustomerProfile;
import io.shopkeeper.jobs.profile.ProfileDocuments;
import io.shopkeeper.jobs.signals.SignalState;
import io.shopkeeper.jobs.testing.AwaitValue;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.Topics;
import io.shopkeeper.schemas.offers.CampaignCodec;
import io.shopkeeper.schemas.offers.Caps;
import io.shopkeeper.schemas.offers.Offer;
import io.shopkeeper.schemas.offers.ProfileFacts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbound offers reach the {@code offers} topic exactly once (issue 9), on a real broker and a
 * MiniCluster: the decision operator sends an outbound offer, which the job's Kafka sink ({@link
 * PersonalizationJob#offersSink}) writes into a transaction; the job then fails at the next
 * checkpoint, so that transaction is never committed; it restarts, replays its input, decides the
 * same offer again (same id) and commits it with a later checkpoint. A {@code read_committed}
 * reader sees the offer once, and no other offer.
 */
class OutboundOffersExactlyOnceIT {
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final String VISITOR = "cust-welcome";
    static final String WELCOME_BACK =
            "{\"id\":\"welcome-back\",\"name\":\"Welcome back\",\"trigger\":{\"type\":\"came_back\"},"
                    + "\"offer\":{\"kind\":\"message\",\"message\":\"Welcome back\"},"
                    + "\"channel\":\"outbound\",\"cap\":{\"perCustomer\":1,\"per\":\"P7D\"},"
                    + "\"holdoutPercent\":0,\"status\":\"live\"}";

    /** Came-back moments of the visitor, one every 50 ms: the first after the campaign is in. */
    static final int MOMENTS = 60;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static EmbeddedKafka kafka;

    /** Offers the decision operator emitted, over every attempt of the job (one JVM). */
    static final AtomicInteger EMITTED = new AtomicInteger();

    static final AtomicBoolean FAILED = new AtomicBoolean();

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.startTemporary().createShopkeeperTopics(1);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) kafka.close();
    }

    @Test
    void anOutboundOfferIsCommittedOnceThoughTheJobFailedAfterWritingIt(@TempDir Path dir)
            throws Exception {
        JobConfig config =
                JobConfig.builder()
                        .kafkaBootstrap(kafka.bootstrapServers())
                        .offersTransactionalIdPrefix("offers-eo-it-" + UUID.randomUUID())
                        .checkpointInterval(Duration.ofMillis(300))
                        .checkpointDir(dir.resolve("checkpoints").toUri().toString())
                        .savepointDir(dir.resolve("savepoints"))
                        .build();
        Configuration conf = PersonalizationJob.clusterConfiguration(config);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);

        SingleOutputStreamOperator<?> decisions =
                env.fromSource(
                                new DataGeneratorSource<>(
                                        (GeneratorFunction<Long, OfferMoment>)
                                                OutboundOffersExactlyOnceIT::cameBack,
                                        MOMENTS,
                                        RateLimiterStrategy.perSecond(20),
                                        TypeInformation.of(OfferMoment.class)),
                                WatermarkStrategy.noWatermarks(),
                                "moments")
                        .keyBy(OfferMoment::getVisitorId)
                        .connect(
                                env.fromData(
                                                CampaignCodec.encode(
                                                        CampaignCodec.decode(WELCOME_BACK)
                                                                .campaign()
                                                                .withVersion(1, T0)))
                                        .broadcast(CampaignBook.DEFINITIONS))
                        .process(
                                new OfferDecisionFunction(
                                        new Caps.Global(3, Duration.ofDays(7)),
                                        0,
                                        Duration.ofDays(400)));
        decisions.sinkTo(new DiscardingSink<>());
        decisions
                .getSideOutput(OfferDecisionFunction.OUTBOUND)
                .map(new FailAtTheCheckpointAfterAnOffer())
                .sinkTo(PersonalizationJob.offersSink(config));

        JobClient job = env.executeAsync("outbound offers exactly once");
        job.getJobExecutionResult().get(3, TimeUnit.MINUTES);

        // The job failed with the offer in an open transaction, and decided it again after.
        assertThat(FAILED).isTrue();
        assertThat(EMITTED).hasValue(2);
        List<Offer> committed = readAll("read_committed");
        assertThat(committed).hasSize(1);
        assertThat(committed.get(0).campaignId()).isEqualTo("welcome-back");
        assertThat(committed.get(0).message()).isEqualTo("Welcome back");
        // The failed attempt's copy was written, in the transaction that was never committed.
        List<Offer> everything = readAll("read_uncommitted");
        assertThat(everything).hasSize(2);
        assertThat(everything).extracting(Offer::offerId).containsOnly(committed.get(0).offerId());
    }

    /** A came-back moment of the visitor with their profile (a full-price regular). */
    static OfferMoment cameBack(Long index) {
        CustomerProfile p = new CustomerProfile();
        p.setVisitorId(VISITOR);
        p.setCustomerId(VISITOR);
        p.setLifecycle("won_back");
        p.setPriceSensitive(new SignalState(0.1, false, List.of(), 0));
        OfferMoment m = new OfferMoment();
        m.setVisitorId(VISITOR);
        m.setAt(T0.plusSeconds(index).toEpochMilli());
        m.setWonBack(true);
        m.setFacts(ProfileFacts.of(ProfileDocuments.of(p)));
        return m;
    }

    /**
     * Passes outbound offers on, counting them; fails the first checkpoint after it has passed one,
     * after the sink has written it (the sink flushes before the barrier, the snapshot comes
     * after), so the job fails with the offer in a transaction that is never committed.
     */
    static final class FailAtTheCheckpointAfterAnOffer
            implements MapFunction<OutboundOffer, OutboundOffer>, CheckpointedFunction {
        private boolean passed;

        @Override
        public OutboundOffer map(OutboundOffer offer) {
            EMITTED.incrementAndGet();
            passed = true;
            return offer;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            if (passed && FAILED.compareAndSet(false, true))
                throw new IllegalStateException("injected failure after an outbound offer");
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {}
    }

    /** Every offer on the topic as a reader with this isolation level sees it. */
    private static List<Offer> readAll(String isolation) {
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                isolation,
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false,
                                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                                ByteArrayDeserializer.class,
                                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                                ByteArrayDeserializer.class))) {
            TopicPartition partition = new TopicPartition(Topics.OFFERS, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<Offer> offers = new ArrayList<>();
            AwaitValue.until(
                    "the offers topic read to its end (" + isolation + ")",
                    Duration.ofSeconds(30),
                    () -> {
                        for (ConsumerRecord<byte[], byte[]> r :
                                consumer.poll(Duration.ofMillis(200))) {
                            assertThat(new String(r.key(), StandardCharsets.UTF_8))
                                    .isEqualTo(VISITOR);
                            offers.add(read(r.value()));
                        }
                        return consumer.position(partition) >= end ? true : null;
                    });
            return offers;
        }
    }

    private static Offer read(byte[] json) {
        try {
            return EventCodec.mapper().readValue(json, Offer.class);
        } catch (java.io.IOException e) {
            throw new AssertionError("not an offer: " + new String(json, StandardCharsets.UTF_8));
        }
    }
}

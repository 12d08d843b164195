package io.shopkeeper.jobs;

import io.shopkeeper.jobs.census.CensusChange;
import io.shopkeeper.jobs.census.VisitorCensusFunction;
import io.shopkeeper.jobs.heartbeat.HeartbeatOperator;
import io.shopkeeper.jobs.heartbeat.RedisHeartbeatPublisher;
import io.shopkeeper.jobs.identity.IdentityFunction;
import io.shopkeeper.jobs.identity.VisitorEvent;
import io.shopkeeper.jobs.ingest.DecodedRecord;
import io.shopkeeper.jobs.ingest.DeduplicateEvents;
import io.shopkeeper.jobs.ingest.KafkaEventDeserializer;
import io.shopkeeper.jobs.ingest.PartitionWatermarks;
import io.shopkeeper.jobs.ingest.SplitDeadLetters;
import io.shopkeeper.jobs.items.BoughtTogetherFunction;
import io.shopkeeper.jobs.items.CatalogWrites;
import io.shopkeeper.jobs.items.CoPurchase;
import io.shopkeeper.jobs.items.ItemMessage;
import io.shopkeeper.jobs.items.ItemModelOperator;
import io.shopkeeper.jobs.offers.OfferHandover;
import io.shopkeeper.jobs.offers.OfferKafkaRecords;
import io.shopkeeper.jobs.offers.Offers;
import io.shopkeeper.jobs.offers.OutboundOffer;
import io.shopkeeper.jobs.ordering.EventTimeOrder;
import io.shopkeeper.jobs.ordering.KeyedBroadcastOperator;
import io.shopkeeper.jobs.profile.ProfileFunction;
import io.shopkeeper.jobs.profile.ProfileOutputs;
import io.shopkeeper.jobs.profile.ProfileUpdate;
import io.shopkeeper.jobs.recommend.SessionRecommender;
import io.shopkeeper.jobs.rfm.CustomerValueFunction;
import io.shopkeeper.jobs.rfm.RfmCutPoints;
import io.shopkeeper.jobs.rfm.StoreDistributionFunction;
import io.shopkeeper.jobs.segments.MembershipResync;
import io.shopkeeper.jobs.segments.SegmentDefinition;
import io.shopkeeper.jobs.segments.SegmentEvaluator;
import io.shopkeeper.jobs.sink.EventsDone;
import io.shopkeeper.jobs.sink.JsonKafkaRecords;
import io.shopkeeper.jobs.sink.RedisSink;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.jobs.trending.ItemInteraction;
import io.shopkeeper.jobs.trending.PaneTotalsFunction;
import io.shopkeeper.jobs.trending.TopItemsFunction;
import io.shopkeeper.jobs.types.ShopEventSerializer;
import io.shopkeeper.jobs.types.WriteBackCoProcessOperator;
import io.shopkeeper.jobs.types.WriteBackProcessOperator;
import io.shopkeeper.jobs.visitor.ForgetVisitor;
import io.shopkeeper.jobs.visitor.NeighboursReply;
import io.shopkeeper.jobs.visitor.RecommendationFunction;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ShopEvent;
import io.shopkeeper.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.changelog.fs.FsStateChangelogOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateChangelogOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.PredefinedOptions;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The personalization job: decodes clickstream, order and catalog events, keeps visitor profiles,
 * item models and trending lists, and writes profiles, recommendations, similar items, trending
 * lists and catalog facts to Redis; rejected records go to the dead-letter topic.
 *
 * <pre>
 * Kafka(clickstream, orders, catalog) -> decode (dead letters -> Kafka dead-letters)
 *   visitor events -> keyBy visitor: event-time order (backlogs), profile -------> Redis profile
 *                        \-> keyBy item: item model (learn; attach neighbours) -> Redis similar
 *                              \-> keyBy visitor: recommendations -------------> Redis recs
 *   views, carts, orders -> keyBy item: sliding window totals (per pane) -> keyBy category / all: top N -> Redis trending
 *   orders -> item pairs -> keyBy item: bought together ---------------------------> Redis bought-together
 *   catalog updates -----------------------------------------------------------> Redis item facts, catalog hash + changes
 *   orders -> keyBy visitor: value -> keyBy store: distribution (RFM cut points -> profiles) -> Redis revenue concentration
 *   profiles created / removed -> keyBy store: visitor census ----------------------> Redis visitor census
 *   Kafka(campaigns) -> broadcast; profile steps, catalog -> offers ({@link Offers}) -> Redis offers, results; Kafka offers
 * </pre>
 *
 * <p>Options (flags, or {@code SHOPKEEPER_*} environment variables): see {@link JobConfig}, e.g.
 * {@code --kafka.bootstrap}, {@code --redis.host}, {@code --redis.port}, {@code
 * --checkpointing.interval}, {@code --checkpointing.dir}, {@code --parallelism}.
 */
public final class PersonalizationJob {
    public static final String JOB_NAME = "shopkeeper-personalization";

    /**
     * Network buffer timeout of the outputs no visitor waits on (trending, bought together, catalog
     * facts, customer value and the store's figures): each output channel has a flusher thread
     * waking at its timeout, about 70 of them at parallelism 2, a fixed cost of about 0.15 core at
     * 10 ms whatever the traffic. The path from an event to the visitor's profile and
     * recommendations keeps {@code --network.buffer-timeout}; a larger configured value wins.
     */
    static final Duration SIDE_PATH_BUFFER_TIMEOUT = Duration.ofMillis(100);

    /** How long a record for an at-least-once output topic may wait to share a request. */
    static final Duration SIDE_TOPIC_LINGER = Duration.ofMillis(50);

    public static long sidePathBufferTimeout(JobConfig config) {
        return Math.max(
                SIDE_PATH_BUFFER_TIMEOUT.toMillis(), config.networkBufferTimeout().toMillis());
    }

    /**
     * {@code writes} passed on at the side path's buffer timeout: for an output no visitor waits on
     * that leaves an operator whose other outputs keep the visitor path's (a buffer timeout belongs
     * to the operator, so each such output gets a pass-through chained to it, named and with uid
     * {@code name}).
     */
    static DataStream<RedisWrite> onSidePath(
            DataStream<RedisWrite> writes, String name, JobConfig config) {
        return writes.map(write -> write)
                .returns(writes.getType())
                .name(name)
                .uid(name)
                .setBufferTimeout(sidePathBufferTimeout(config));
    }

    /**
     * The Redis writers chained to the operators with the most writes (profiles and recommendations
     * on every visitor event, item models with the similar-items lists), each a {@link RedisSink}
     * writer of its own: their writes reach Redis from the task that made them, without being
     * serialized, sent to and decoded by a shared sink task (which cost about a fifth of the
     * profiles task and most of the sink's own CPU). The other outputs, a few writes per second
     * each, share the writer named {@code redis-sink}. Each writer buffers by key and flushes on
     * its own ({@link RedisSink}); no key is written by two of them, so their order between writers
     * never mattered.
     */
    static final String PROFILE_REDIS_WRITER = "profile-redis-writer";

    /** See {@link #PROFILE_REDIS_WRITER}. */
    static final String RECOMMENDATION_REDIS_WRITER = "recommendation-redis-writer";

    /** See {@link #PROFILE_REDIS_WRITER}. */
    static final String SIMILAR_ITEMS_REDIS_WRITER = "similar-items-redis-writer";

    private PersonalizationJob() {}

    public static void main(String[] args) throws Exception {
        JobConfig config = JobConfig.fromArgs(args);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(clusterConfiguration(config));
        env.setParallelism(config.parallelism());
        defineWithConnectors(env, config);
        env.execute(JOB_NAME);
    }

    /**
     * The settings a cluster would use: RocksDB state with incremental checkpoints, exactly-once
     * checkpoint barriers at the configured interval, the last checkpoint retained when the job is
     * cancelled (so a crash or a cancel can resume), savepoints in the savepoint folder, object
     * reuse (operators never mutate a record after emitting it), no Kryo fallback. Timers live
     * where {@code --state.timers} says ({@link JobConfig.TimerStore}): on the heap by default
     * (moved on almost every event, where RocksDB timers cost a write each), written whole with
     * every checkpoint. RocksDB compacts level 0 later than its default, with bloom filters, and
     * compresses only the levels below 1 ({@link RocksDbCompaction}).
     */
    public static Configuration clusterConfiguration(JobConfig config) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(
                RocksDBOptions.TIMER_SERVICE_FACTORY,
                config.timerStore() == JobConfig.TimerStore.ROCKSDB
                        ? EmbeddedRocksDBStateBackend.PriorityQueueStateType.ROCKSDB
                        : EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP);
        conf.set(RocksDBOptions.PREDEFINED_OPTIONS, PredefinedOptions.FLASH_SSD_OPTIMIZED.name());
        // Fewer, larger compactions of the small level-0 files every checkpoint flushes; bloom
        // filters keep point reads cheap across the extra level-0 files (RocksDbCompaction).
        conf.set(RocksDBOptions.OPTIONS_FACTORY, RocksDbCompaction.class.getName());
        conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        // No compression where the data is rewritten often, LZ4 below (RocksDbCompaction).
        conf.set(
                RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL,
                RocksDbCompaction.COMPRESSION_PER_LEVEL);
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        if (!config.stateLocalDir().isEmpty()) {
            conf.set(RocksDBOptions.LOCAL_DIRECTORIES, config.stateLocalDir());
        }
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.checkpointDir());
        if (config.stateChangelog()) {
            // Checkpoints persist the change log (uploaded in the background as it fills), so the
            // task threads no longer flush RocksDB at every barrier; that flush happens at each
            // materialization instead (docs/sizing.md, "Checkpoint pauses").
            conf.set(StateChangelogOptions.ENABLE_STATE_CHANGE_LOG, true);
            conf.set(
                    StateChangelogOptions.PERIODIC_MATERIALIZATION_INTERVAL,
                    config.changelogMaterialization());
            conf.set(StateChangelogOptions.STATE_CHANGE_LOG_STORAGE, "filesystem");
            conf.set(FsStateChangelogOptions.BASE_PATH, config.changelogDir());
        }
        conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, config.savepointDir());
        // A cancelled or crashed job leaves its last checkpoint behind to resume from.
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        conf.set(
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                CheckpointingMode.EXACTLY_ONCE);
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(ExecutionOptions.BUFFER_TIMEOUT, config.networkBufferTimeout());
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }

    /**
     * A MiniCluster environment in this JVM with the cluster settings (quick start, benchmarks). A
     * MiniCluster gets 128 MB of managed memory by default, which is all RocksDB has for its block
     * cache and write buffers; this gives it {@link #LOCAL_MANAGED_MEMORY} (on a cluster, the
     * TaskManagers' {@code taskmanager.memory.managed.size} decides).
     */
    public static StreamExecutionEnvironment localEnvironment(JobConfig config) {
        return StreamExecutionEnvironment.createLocalEnvironment(
                config.parallelism(), localConfiguration(config));
    }

    public static final MemorySize LOCAL_MANAGED_MEMORY = MemorySize.ofMebiBytes(1024);

    /** {@link #clusterConfiguration} plus the memory a MiniCluster needs for RocksDB. */
    public static Configuration localConfiguration(JobConfig config) {
        Configuration conf = clusterConfiguration(config);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, LOCAL_MANAGED_MEMORY);
        return conf;
    }

    /**
     * Wires the real Kafka sources and Redis and Kafka sinks and starts the job without blocking.
     */
    public static JobClient submit(StreamExecutionEnvironment env, JobConfig config)
            throws Exception {
        defineWithConnectors(env, config);
        return env.executeAsync(JOB_NAME);
    }

    /**
     * Builds real connectors from {@code config} and defines the topology on them, plus the job's
     * heartbeat to Redis ({@link HeartbeatOperator}: the API's readiness check reads it).
     */
    public static void defineWithConnectors(StreamExecutionEnvironment env, JobConfig config) {
        KafkaSource<DecodedRecord> source =
                KafkaSource.<DecodedRecord>builder()
                        .setBootstrapServers(config.kafkaBootstrap())
                        .setTopics(Topics.INPUTS)
                        .setGroupId(config.groupId())
                        .setStartingOffsets(
                                OffsetsInitializer.committedOffsets(
                                        config.startFromEarliest()
                                                ? OffsetResetStrategy.EARLIEST
                                                : OffsetResetStrategy.LATEST))
                        .setDeserializer(new KafkaEventDeserializer(config.eventTimePolicy()))
                        .setProperty("commit.offsets.on.checkpoint", "true")
                        .build();
        DataStream<DecodedRecord> records =
                env.fromSource(source, watermarks(config), "kafka-input").uid("kafka-input");
        RedisSink redis =
                new RedisSink(
                        config.redisEndpoint(), config.redisBatching(), config.redisRetryFor());
        records.filter(record -> false)
                .name("heartbeat-input")
                .uid("heartbeat-input")
                .setBufferTimeout(sidePathBufferTimeout(config)) // carries nothing
                .transform(
                        "job-heartbeat",
                        Types.VOID,
                        new HeartbeatOperator<DecodedRecord>(
                                JOB_NAME,
                                config.heartbeatInterval(),
                                new RedisHeartbeatPublisher(config.redisEndpoint())))
                .uid("job-heartbeat")
                .setParallelism(1);
        KafkaSource<String> campaignSource =
                KafkaSource.<String>builder()
                        .setBootstrapServers(config.kafkaBootstrap())
                        .setTopics(Topics.CAMPAIGNS)
                        .setGroupId(config.groupId() + "-campaigns")
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setValueOnlyDeserializer(new Offers.DefinitionText())
                        .setProperty("commit.offsets.on.checkpoint", "false")
                        .build();
        DataStream<String> campaigns =
                env.fromSource(
                                campaignSource,
                                Offers.campaignWatermarks(config.sourceIdleness()),
                                "kafka-campaigns")
                        .uid("kafka-campaigns")
                        .setParallelism(1)
                        .setBufferTimeout(sidePathBufferTimeout(config));
        // The job reads back what it hands over: a stitched visitor's offer state. A fresh job
        // starts at the end (an older handover belongs to state it does not have).
        KafkaSource<OfferHandover> handoverSource =
                KafkaSource.<OfferHandover>builder()
                        .setBootstrapServers(config.kafkaBootstrap())
                        .setTopics(Topics.OFFER_HANDOVERS)
                        .setGroupId(config.groupId() + "-offer-handovers")
                        .setStartingOffsets(OffsetsInitializer.latest())
                        .setValueOnlyDeserializer(new OfferHandover.Json())
                        .setProperty("commit.offsets.on.checkpoint", "false")
                        .build();
        DataStream<OfferHandover> handovers =
                env.fromSource(
                                handoverSource,
                                WatermarkStrategy.<OfferHandover>noWatermarks()
                                        .withIdleness(config.sourceIdleness()),
                                "kafka-offer-handovers")
                        .uid("kafka-offer-handovers");
        define(
                records,
                campaigns,
                handovers,
                segments(config),
                new JobSinks(
                        redis,
                        kafkaSink(config, Topics.DEAD_LETTERS),
                        kafkaSink(config, Topics.SEGMENT_CHANGES),
                        offersSink(config),
                        kafkaSink(config, Topics.OFFER_HANDOVERS)),
                config);
    }

    /**
     * Outbound offers, exactly once: Kafka transactions committed with each checkpoint (so they
     * become visible to {@code read_committed} readers at the checkpoint interval, and need
     * checkpointing on), under the configured transactional id prefix; the transaction timeout
     * stays below the broker's {@code transaction.max.timeout.ms} (15 minutes by default).
     */
    static KafkaSink<OutboundOffer> offersSink(JobConfig config) {
        return KafkaSink.<OutboundOffer>builder()
                .setBootstrapServers(config.kafkaBootstrap())
                .setRecordSerializer(new OfferKafkaRecords())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(config.offersTransactionalIdPrefix())
                .setProperty("transaction.timeout.ms", "600000")
                .build();
    }

    /** The segment definitions: the file given with {@code --segments.file}, else the defaults. */
    public static SegmentEvaluator segments(JobConfig config) {
        return config.segmentsFile() == null || config.segmentsFile().isBlank()
                ? SegmentEvaluator.defaults()
                : SegmentEvaluator.fromFile(Path.of(config.segmentsFile()));
    }

    /**
     * At least once, each record acknowledged by every in-sync replica ({@code acks=all}, Kafka's
     * default, stated): with topics at replication 3 and {@code min.insync.replicas} 2 a broker
     * lost after the acknowledgement loses nothing. Records wait up to {@link #SIDE_TOPIC_LINGER}
     * to share a request: nobody waits on these topics (segment changes, dead letters, hand-overs)
     * by the millisecond, and at Kafka's default of 5 ms most requests carried one or two records.
     */
    private static <T> KafkaSink<T> kafkaSink(JobConfig config, String topic) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.kafkaBootstrap())
                .setRecordSerializer(new JsonKafkaRecords<T>(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setProperty("acks", "all")
                .setProperty("linger.ms", Long.toString(SIDE_TOPIC_LINGER.toMillis()))
                .build();
    }

    /**
     * Event time from the event itself, bounded out-of-orderness, idle partitions ignored ({@link
     * PartitionWatermarks}: a partition reading history is idle only after {@code
     * --watermark.backlog-idleness}).
     */
    public static WatermarkStrategy<DecodedRecord> watermarks(JobConfig config) {
        Duration outOfOrderness = config.maxOutOfOrderness();
        Duration idleness = config.sourceIdleness();
        Duration backlogIdleness = config.backlogIdleness();
        Duration backlogLag = config.orderingBacklogLag();
        return WatermarkStrategy.<DecodedRecord>forGenerator(
                        context ->
                                new PartitionWatermarks<>(
                                        outOfOrderness,
                                        idleness,
                                        backlogIdleness,
                                        backlogLag,
                                        context.getInputActivityClock(),
                                        System::currentTimeMillis))
                .withTimestampAssigner((record, kafkaTimestamp) -> record.timestamp());
    }

    /**
     * The topology, independent of where records come from and where results go: tests pass bounded
     * sources and collecting sinks, {@link #defineWithConnectors} the real ones. {@code records}
     * must already carry timestamps and watermarks; {@code segments} are the definitions the
     * profiles are evaluated against (read by the caller). A table of contents: each sub-topology
     * is one method below.
     */
    public static void define(
            DataStream<DecodedRecord> records,
            SegmentEvaluator segments,
            JobSinks sinks,
            JobConfig config) {
        DataStream<String> noCampaigns =
                records.filter(record -> false)
                        .name("no-campaigns")
                        .uid("no-campaigns")
                        .map(record -> "")
                        .returns(Types.STRING)
                        .name("no-campaign-definitions")
                        .uid("no-campaign-definitions");
        define(records, noCampaigns, segments, sinks, config);
    }

    /**
     * The topology with the campaign definitions (JSON, as on the {@code campaigns} topic) the
     * offers path acts on; without them ({@link #define(DataStream, SegmentEvaluator, JobSinks,
     * JobConfig)}) no campaign is live.
     */
    public static void define(
            DataStream<DecodedRecord> records,
            DataStream<String> campaigns,
            SegmentEvaluator segments,
            JobSinks sinks,
            JobConfig config) {
        DataStream<OfferHandover> noHandovers =
                records.filter(record -> false)
                        .name("no-offer-handovers")
                        .uid("no-offer-handovers")
                        .map(record -> new OfferHandover())
                        .returns(OfferHandover.class)
                        .name("no-offer-handover-records")
                        .uid("no-offer-handover-records");
        define(records, campaigns, noHandovers, segments, sinks, config);
    }

    /**
     * The topology with the campaign definitions and the offer handovers read back from {@code
     * sinks.offerHandovers()} (the {@code offer-handovers} topic): a stitched visitor's offer state
     * carries over to the customer.
     */
    public static void define(
            DataStream<DecodedRecord> records,
            DataStream<String> campaigns,
            DataStream<OfferHandover> handovers,
            SegmentEvaluator segments,
            JobSinks sinks,
            JobConfig config) {
        SessionRecommender recommender = new SessionRecommender(config.recommenderConfig());

        SingleOutputStreamOperator<ShopEvent> decoded = decode(records, sinks);
        SingleOutputStreamOperator<ShopEvent> events = deduplicate(decoded, config);
        VisitorEvents identified = identity(events, config);
        DataStream<VisitorEvent> visitorEvents = identified.all();
        SingleOutputStreamOperator<RfmCutPoints> storeValue = valueAndRfm(identified, config);
        SingleOutputStreamOperator<ProfileUpdate> profiles =
                profiles(visitorEvents, storeValue.broadcast(), segments, sinks, config);
        recommendations(profiles, recommender, sinks.redis(), config);
        DataStream<RedisWrite> trending = trending(events, config);
        DataStream<RedisWrite> boughtTogether = boughtTogether(events, config);
        DataStream<RedisWrite> catalog = catalog(events, config);
        DataStream<RedisWrite> segmentDefinitions =
                segmentDefinitions(records.getExecutionEnvironment(), segments);
        DataStream<RedisWrite> storeFigures = storeFigures(profiles, storeValue, config);
        DataStream<RedisWrite> offers =
                Offers.define(
                        profiles,
                        events,
                        campaigns,
                        handovers,
                        sinks.offers(),
                        sinks.offerHandovers(),
                        config);

        profileWrites(profiles, segments)
                .sinkTo(sinks.redis())
                .name(PROFILE_REDIS_WRITER)
                .uid(PROFILE_REDIS_WRITER);
        trending.union(
                        catalog,
                        boughtTogether,
                        segmentDefinitions,
                        storeFigures,
                        offers,
                        eventsDone(decoded, events, profiles, config))
                .sinkTo(sinks.redis())
                .name("redis-sink")
                .uid("redis-sink");
    }

    /**
     * The visitor events done without a write that counts them (dead-lettered, dropped as repeats,
     * changing nothing: {@link EventsDone}), so {@link RedisKeys#EVENTS_APPLIED} counts every
     * visitor event the job reads once. Only the counter waits on them: side path.
     */
    static DataStream<RedisWrite> eventsDone(
            SingleOutputStreamOperator<ShopEvent> decoded,
            SingleOutputStreamOperator<ShopEvent> deduplicated,
            SingleOutputStreamOperator<ProfileUpdate> profiles,
            JobConfig config) {
        return onSidePath(decoded.getSideOutput(EventsDone.TAG), "decode-events-done", config)
                .union(
                        onSidePath(
                                deduplicated.getSideOutput(EventsDone.TAG),
                                "deduplicate-events-done",
                                config),
                        onSidePath(
                                profiles.getSideOutput(EventsDone.TAG),
                                "profile-events-done",
                                config));
    }

    /**
     * Decoding and validation: valid events on, rejected records to the dead-letter sink. Events
     * travel with their own serializer ({@link ShopEventSerializer#TYPE}) on every hop from here.
     */
    static SingleOutputStreamOperator<ShopEvent> decode(
            DataStream<DecodedRecord> records, JobSinks sinks) {
        SingleOutputStreamOperator<ShopEvent> events =
                records.process(new SplitDeadLetters())
                        .returns(ShopEventSerializer.TYPE)
                        .name("decode-and-validate")
                        .uid("decode-and-validate");
        events.getSideOutput(SplitDeadLetters.DEAD_LETTERS)
                .sinkTo(sinks.deadLetters())
                .name("dead-letters-sink")
                .uid("dead-letters-sink");
        return events;
    }

    /**
     * Retries never count twice: repeated eventIds (within the window) and repeated order steps by
     * orderId are dropped before anything counts them. Keyed by visitor, so order is kept.
     */
    static SingleOutputStreamOperator<ShopEvent> deduplicate(
            DataStream<ShopEvent> events, JobConfig config) {
        return events.keyBy(DeduplicateEvents.KEY)
                .process(new DeduplicateEvents(config.dedupWindow(), config.profileTtl()))
                .returns(ShopEventSerializer.TYPE)
                .name("deduplicate")
                .uid("deduplicate");
    }

    /**
     * The visitor events in the two streams {@link #identity} makes them: {@code stitched} (events
     * carrying an anonymous id, out of identity stitching) and {@code customers} (events with a
     * customer id only); {@link #all} is their union. A consumer of a few of them filters each
     * stream where it is made, so the rest never cross the network for it.
     */
    record VisitorEvents(DataStream<VisitorEvent> stitched, DataStream<VisitorEvent> customers) {
        DataStream<VisitorEvent> all() {
            return stitched.union(customers);
        }
    }

    /**
     * Identity: events carrying an anonymous id are resolved to the customer once the visitor is
     * known; events with a customer id only are theirs already.
     */
    static VisitorEvents identity(DataStream<ShopEvent> events, JobConfig config) {
        DataStream<ShopEvent> visitorEvents =
                events.filter(e -> e.getType().isVisitorEvent())
                        .name("visitor-events")
                        .uid("visitor-events");
        return new VisitorEvents(
                visitorEvents
                        .filter(e -> e.getAnonymousId() != null)
                        .name("anonymous-events")
                        .uid("anonymous-events")
                        .keyBy(ShopEvent::getAnonymousId)
                        .process(new IdentityFunction(config.anonymousTtl()))
                        .name("identity-stitching")
                        .uid("identity-stitching"),
                visitorEvents
                        .filter(e -> e.getAnonymousId() == null)
                        .name("customer-events")
                        .uid("customer-events")
                        .map(e -> VisitorEvent.live(e.getCustomerId(), e))
                        .name("as-visitor-events")
                        .uid("as-visitor-events"));
    }

    /**
     * Value and RFM: each customer's value (from orders only) and the store's live distribution of
     * it, as quintile cut points (the caller broadcasts them to every profile for RFM scores).
     */
    static SingleOutputStreamOperator<RfmCutPoints> valueAndRfm(
            VisitorEvents visitorEvents, JobConfig config) {
        // Filtered on each stream where it is made (chained), not after their union: a filter with
        // two inputs is a task of its own, which every visitor event crossed the network to reach.
        return visitorEvents
                .stitched()
                .filter(PersonalizationJob::changesValue)
                .name("value-events")
                .uid("value-events")
                .setBufferTimeout(sidePathBufferTimeout(config))
                .union(
                        visitorEvents
                                .customers()
                                .filter(PersonalizationJob::changesValue)
                                .name("customer-value-events")
                                .uid("customer-value-events")
                                .setBufferTimeout(sidePathBufferTimeout(config)))
                .keyBy(VisitorEvent::getVisitorKey)
                .process(new CustomerValueFunction(config.profileTtl()))
                .name("customer-value")
                .uid("customer-value")
                .setBufferTimeout(sidePathBufferTimeout(config))
                .keyBy(change -> StoreDistributionFunction.STORE)
                .process(new StoreDistributionFunction(Duration.ofSeconds(1)))
                .name("store-distribution")
                .uid("store-distribution")
                .setBufferTimeout(sidePathBufferTimeout(config));
    }

    /** Orders, cancellations and forget requests: the events a customer's value follows. */
    private static boolean changesValue(VisitorEvent v) {
        EventType type = v.getEvent().getType();
        return type == EventType.ORDER_PLACED
                || type == EventType.ORDER_CANCELLED
                || type == EventType.CUSTOMER_FORGOTTEN;
    }

    /**
     * The store's figures for the console: the visitor census (profiles created and removed,
     * counted on one key) and the revenue concentration published with the cut points.
     */
    static DataStream<RedisWrite> storeFigures(
            DataStream<ProfileUpdate> profiles,
            SingleOutputStreamOperator<RfmCutPoints> storeValue,
            JobConfig config) {
        return profiles.filter(update -> update.getProfilesDelta() != 0)
                .name("census-changes")
                .uid("census-changes")
                .map(CensusChange::of)
                .name("as-census-changes")
                .uid("as-census-changes")
                .setBufferTimeout(sidePathBufferTimeout(config))
                .keyBy(change -> VisitorCensusFunction.STORE)
                .process(new VisitorCensusFunction(Duration.ofSeconds(1)))
                .name("visitor-census")
                .uid("visitor-census")
                .setBufferTimeout(sidePathBufferTimeout(config))
                .union(storeValue.getSideOutput(StoreDistributionFunction.REVENUE_CONCENTRATION));
    }

    /**
     * Profiles: one {@link ProfileUpdate} per step of a visitor (event or timer); the segment
     * changes go to their topic here. Further consumers of the updates attach to the result. In a
     * backlog the visitor's events first wait for event time ({@link EventTimeOrder}), so an order
     * never overtakes the page views that led to it.
     *
     * <p>One task: the ordering takes the cut points as its broadcast second input and passes them
     * on with the events, and the profile step, over that one stream ({@link
     * KeyedBroadcastOperator}), is chained to it on the same subtask: no second shuffle, no
     * serialization between the two.
     */
    static SingleOutputStreamOperator<ProfileUpdate> profiles(
            DataStream<VisitorEvent> visitorEvents,
            DataStream<RfmCutPoints> cutPoints,
            SegmentEvaluator segments,
            JobSinks sinks,
            JobConfig config) {
        SingleOutputStreamOperator<Either<VisitorEvent, RfmCutPoints>> ordered =
                visitorEvents
                        .keyBy(VisitorEvent::getVisitorKey)
                        .connect(cutPoints)
                        .transform(
                                "event-time-order",
                                Types.EITHER(visitorEvents.getType(), cutPoints.getType()),
                                new EventTimeOrder<RfmCutPoints>(
                                        config.maxOutOfOrderness(),
                                        config.orderingBacklogLag(),
                                        config.orderingReleaseStep(),
                                        config.orderingHeapEvents()))
                        .uid("event-time-order");
        SingleOutputStreamOperator<ProfileUpdate> profiles =
                DataStreamUtils.reinterpretAsKeyedStream(
                                ordered,
                                KeyedBroadcastOperator.keyOf(VisitorEvent::getVisitorKey, ""),
                                Types.STRING)
                        .transform(
                                "profiles",
                                TypeInformation.of(ProfileUpdate.class),
                                new KeyedBroadcastOperator<>(
                                        new ProfileFunction(config.profileSettings(), segments)
                                                .withCacheSize(
                                                        config.profileCacheSize(),
                                                        config.profileBacklogCacheSize(),
                                                        config.orderingBacklogLag()),
                                        List.of(ProfileFunction.CUT_POINTS)))
                        .uid("profiles");
        profiles.getSideOutput(ProfileFunction.FAILED)
                .sinkTo(sinks.deadLetters())
                .name("profile-failures-sink")
                .uid("profile-failures-sink");
        profiles.flatMap(new ProfileOutputs.ToSegmentChanges())
                .name("segment-changes")
                .uid("segment-changes")
                .sinkTo(sinks.segmentChanges())
                .name("segment-changes-sink")
                .uid("segment-changes-sink");
        return profiles;
    }

    /** The profiles' own Redis writes: profile documents, segment sets, deletions. */
    static DataStream<RedisWrite> profileWrites(
            DataStream<ProfileUpdate> profiles, SegmentEvaluator segments) {
        return profiles.flatMap(new ProfileOutputs.ToRedisWrites())
                .name("profile-writes")
                .uid("profile-writes")
                // After a restore, segment SETs follow the restored profiles (issue 8, finding 3).
                .flatMap(
                        new MembershipResync(
                                segments.definitions().stream()
                                        .map(SegmentDefinition::getName)
                                        .toList()))
                .name("segment-membership-resync")
                .uid("segment-membership-resync");
    }

    /**
     * Recommendations: views and carts teach the item models (keyed by item), which attach their
     * neighbours to the visitor's request; the visitor's operator ranks. The visitors' lists and
     * the similar-items lists go to {@code redis} from the operators that make them (writers
     * chained to them, see {@link #PROFILE_REDIS_WRITER}).
     */
    static void recommendations(
            DataStream<ProfileUpdate> profiles,
            SessionRecommender recommender,
            Sink<RedisWrite> redis,
            JobConfig config) {
        SingleOutputStreamOperator<NeighboursReply> replies =
                profiles.flatMap(new ProfileOutputs.ToItemMessages(recommender))
                        .name("item-messages")
                        .uid("item-messages")
                        .keyBy(ItemMessage::getItemId)
                        .transform(
                                "item-models",
                                TypeInformation.of(NeighboursReply.class),
                                new ItemModelOperator(
                                        recommender,
                                        config.profileTtl(),
                                        config.similarPublishInterval(),
                                        config.similarRefreshInterval(),
                                        config.itemModelCacheSize()))
                        .uid("item-models");
        DataStream<ForgetVisitor> forgets =
                profiles.flatMap(new ProfileOutputs.ToForgetRequests())
                        .name("forget-requests")
                        .uid("forget-requests");
        DataStream<RedisWrite> visitorLists =
                replies.connect(forgets)
                        .keyBy(
                                reply -> reply.getRequest().getVisitorId(),
                                ForgetVisitor::getVisitorId)
                        .transform(
                                "recommendations",
                                TypeInformation.of(RedisWrite.class),
                                new WriteBackCoProcessOperator<>(
                                        new RecommendationFunction(
                                                        recommender,
                                                        config.recommendationsSize(),
                                                        config.sessionGap().multipliedBy(2),
                                                        config.orderingBacklogLag(),
                                                        config.recommendationsBacklogCoalesce(),
                                                        config.recommendationsBacklogGuard())
                                                .withCacheSize(config.recommendationsCacheSize())))
                        .uid("recommendations");
        visitorLists
                .sinkTo(redis)
                .name(RECOMMENDATION_REDIS_WRITER)
                .uid(RECOMMENDATION_REDIS_WRITER);
        replies.getSideOutput(ItemModelOperator.SIMILAR_ITEMS)
                .sinkTo(redis)
                .name(SIMILAR_ITEMS_REDIS_WRITER)
                .uid(SIMILAR_ITEMS_REDIS_WRITER);
    }

    /**
     * Trending: weighted interactions per item over sliding windows (summed per pane, one state
     * update per interaction: {@link PaneTotalsFunction}), then top N per group. The totals' uid
     * changed from {@code trending-window-totals} (Flink's sliding windows) with their state: an
     * older savepoint restores without it (README, Upgrades).
     */
    static DataStream<RedisWrite> trending(DataStream<ShopEvent> events, JobConfig config) {
        DataStream<ItemInteraction> windowTotals =
                events.flatMap(new ItemInteraction.Extract())
                        .name("item-interactions")
                        .uid("item-interactions")
                        .setBufferTimeout(sidePathBufferTimeout(config))
                        .keyBy(ItemInteraction::getItemId)
                        .transform(
                                "trending-window-totals",
                                TypeInformation.of(ItemInteraction.class),
                                new WriteBackProcessOperator<>(
                                        new PaneTotalsFunction(
                                                config.trendingWindow(), config.trendingSlide())))
                        .uid("trending-pane-totals")
                        .setBufferTimeout(sidePathBufferTimeout(config));
        DataStream<RedisWrite> byCategory =
                windowTotals
                        .keyBy(ItemInteraction::getCategoryId)
                        .process(
                                new TopItemsFunction(
                                        config.trendingSize(), RedisKeys::trendingInCategory))
                        .name("trending-per-category")
                        .uid("trending-per-category")
                        .setBufferTimeout(sidePathBufferTimeout(config));
        DataStream<RedisWrite> overall =
                windowTotals
                        .keyBy(total -> TopItemsFunction.ALL)
                        .process(
                                new TopItemsFunction(
                                        config.trendingSize(), all -> RedisKeys.trending()))
                        .name("trending-overall")
                        .uid("trending-overall")
                        .setBufferTimeout(sidePathBufferTimeout(config));
        return byCategory.union(overall);
    }

    /** Frequently bought together, from the lines of each order. */
    static DataStream<RedisWrite> boughtTogether(DataStream<ShopEvent> events, JobConfig config) {
        return events.flatMap(new CoPurchase.FromOrders())
                .name("co-purchases")
                .uid("co-purchases")
                .setBufferTimeout(sidePathBufferTimeout(config))
                .keyBy(CoPurchase::getItemId)
                .process(
                        new BoughtTogetherFunction(
                                config.profileTtl(),
                                Duration.ofDays(30),
                                config.similarPublishInterval()))
                .name("bought-together")
                .uid("bought-together")
                .setBufferTimeout(sidePathBufferTimeout(config));
    }

    /** Catalog facts: per item, in the catalog hash, and as a change entry for the API's cache. */
    static DataStream<RedisWrite> catalog(DataStream<ShopEvent> events, JobConfig config) {
        return events.filter(e -> !e.getType().isVisitorEvent())
                .flatMap(new CatalogWrites())
                .name("catalog-facts")
                .uid("catalog-facts")
                .setBufferTimeout(sidePathBufferTimeout(config));
    }

    /** The segment definitions the job evaluates, written once for the API's segment routes. */
    static DataStream<RedisWrite> segmentDefinitions(
            StreamExecutionEnvironment env, SegmentEvaluator segments) {
        return env.fromData(
                        RedisWrite.text(
                                RedisKeys.segmentDefinitions(),
                                EventCodec.encodeToString(segments.definitions())))
                .name("segment-definitions")
                .uid("segment-definitions");
    }
}

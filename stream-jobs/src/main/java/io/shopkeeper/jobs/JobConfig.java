package io.shopkeeper.jobs;

import io.shopkeeper.jobs.ordering.EventTimeOrder;
import io.shopkeeper.jobs.profile.ProfileFunction;
import io.shopkeeper.jobs.profile.ProfileSettings;
import io.shopkeeper.jobs.recommend.RecommenderConfig;
import io.shopkeeper.jobs.recommend.RecommenderParams;
import io.shopkeeper.jobs.sink.RedisSink;
import io.shopkeeper.jobs.visitor.RecommendationFunction;
import io.shopkeeper.schemas.EventTimePolicy;
import io.shopkeeper.schemas.redis.RedisEndpoint;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Every option of the personalization job, parsed once into an immutable value. Command-line flags
 * win over environment variables ({@code SHOPKEEPER_*}), which win over the defaults declared here.
 */
public final class JobConfig implements Serializable {
    /**
     * A private copy of the options: each option is declared once, as a field of {@link Builder}.
     */
    private final Builder options;

    private JobConfig(Builder options) {
        this.options = options;
        if (options.trendingWindow.toMillis() % options.trendingSlide.toMillis() != 0) {
            throw new IllegalArgumentException(
                    "trending window must be a multiple of the trending slide");
        }
        if (options.orderingHeapEvents < 0) {
            throw new IllegalArgumentException("--ordering.heap-events cannot be negative");
        }
        if (options.recommendationsCacheSize < 0) {
            throw new IllegalArgumentException("--recommendations.cache-size cannot be negative");
        }
        recommenderConfig(); // fail at start on an unknown or malformed knob
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses command-line flags (see {@link Builder} fields for names); {@code --help} is handled
     * by the caller.
     */
    public static JobConfig fromArgs(String... args) {
        Builder builder = new Builder();
        new CommandLine(builder).parseArgs(args);
        return builder.build();
    }

    /**
     * These options as command-line flags ({@code --name=value}, repeatable ones repeated) that
     * {@link #fromArgs} parses back to the same config: how a launcher hands a config to the job
     * jar on a cluster, so no option is listed twice. Empty values (none) and the event clock (not
     * an option) are left out.
     */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>();
        for (OptionSpec option : new CommandLine(options).getCommandSpec().options()) {
            if (option.usageHelp() || option.versionHelp()) continue;
            Object value = option.getValue();
            Iterable<?> values = value instanceof Collection<?> many ? many : List.of(value);
            for (Object one : values) {
                if (one == null || one.toString().isEmpty()) continue;
                args.add(option.longestName() + "=" + one);
            }
        }
        return args;
    }

    public String kafkaBootstrap() {
        return options.kafkaBootstrap;
    }

    public String groupId() {
        return options.groupId;
    }

    public boolean startFromEarliest() {
        return options.startFromEarliest;
    }

    public String redisHost() {
        return options.redisHost;
    }

    public int redisPort() {
        return options.redisPort;
    }

    /** Where the job writes: the Redis Cluster's nodes when given, else the one server. */
    public RedisEndpoint redisEndpoint() {
        return RedisEndpoint.of(options.redisHost, options.redisPort, options.redisCluster);
    }

    public int parallelism() {
        return options.parallelism;
    }

    public Duration checkpointInterval() {
        return options.checkpointInterval;
    }

    /** Where event-time timers live: {@code HEAP} or {@code ROCKSDB} ({@code --state.timers}). */
    public TimerStore timerStore() {
        return options.timerStore;
    }

    public String checkpointDir() {
        return options.checkpointDir;
    }

    /**
     * RocksDB's working folder ({@code --state.local-dir}), empty for the TaskManager's temporary
     * folders.
     */
    public String stateLocalDir() {
        return options.stateLocalDir;
    }

    /**
     * Whether keyed state goes through Flink's changelog state backend ({@code --state.changelog}):
     * a checkpoint then persists the state changes since the last one, uploaded in the background,
     * instead of flushing every RocksDB state on the task threads; RocksDB is flushed and uploaded
     * at each materialization ({@link #changelogMaterialization}) instead.
     */
    public boolean stateChangelog() {
        return options.stateChangelog;
    }

    /**
     * How often RocksDB's state is materialized under the changelog, and the log before it dropped.
     */
    public Duration changelogMaterialization() {
        return options.changelogMaterialization;
    }

    /**
     * Where the state change log goes: beside the checkpoint folder ({@code <checkpoint
     * dir>-changelog}), not in it, so nothing that tidies job folders there can take a log a
     * retained checkpoint still reads.
     */
    public String changelogDir() {
        return options.checkpointDir.replaceAll("/+$", "") + "-changelog";
    }

    public String savepointDir() {
        return options.savepointDir;
    }

    public Duration heartbeatInterval() {
        return options.heartbeatInterval;
    }

    public Duration redisRetryFor() {
        return options.redisRetryFor;
    }

    public Duration maxOutOfOrderness() {
        return options.maxOutOfOrderness;
    }

    public Duration sourceIdleness() {
        return options.sourceIdleness;
    }

    public Duration backlogIdleness() {
        return options.backlogIdleness;
    }

    public Duration orderingBacklogLag() {
        return options.orderingBacklogLag;
    }

    public Duration orderingReleaseStep() {
        return options.orderingReleaseStep;
    }

    public int orderingHeapEvents() {
        return options.orderingHeapEvents;
    }

    public Duration profileTtl() {
        return options.profileTtl;
    }

    public Duration sessionGap() {
        return options.sessionGap;
    }

    public Duration trendingWindow() {
        return options.trendingWindow;
    }

    public Duration trendingSlide() {
        return options.trendingSlide;
    }

    public int trendingSize() {
        return options.trendingSize;
    }

    public int recommendationsSize() {
        return options.recommendationsSize;
    }

    /**
     * In a backlog, how long (event time) a visitor's ranking may wait for their next reply to
     * replace it ({@code --recommendations.backlog-coalesce}); zero ranks every reply.
     */
    public Duration recommendationsBacklogCoalesce() {
        return options.recommendationsBacklogCoalesce;
    }

    /**
     * In a backlog, how long (processing time) a visitor's ranking may wait at most ({@code
     * --recommendations.backlog-guard}).
     */
    public Duration recommendationsBacklogGuard() {
        return options.recommendationsBacklogGuard;
    }

    /** Visitors whose held-items list the recommendations keep on the heap per subtask. */
    public int recommendationsCacheSize() {
        return options.recommendationsCacheSize;
    }

    public Duration redisFlushInterval() {
        return options.redisFlushInterval;
    }

    public int redisFlushBatch() {
        return options.redisFlushBatch;
    }

    /**
     * When the Redis sinks flush: {@code --redis.flush-interval}/{@code --redis.flush-batch} live,
     * {@code --redis.backlog-flush-interval}/{@code --redis.backlog-flush-batch} while the
     * watermark is more than {@code --ordering.backlog-lag} behind the wall clock.
     */
    public RedisSink.Batching redisBatching() {
        return new RedisSink.Batching(
                options.redisFlushInterval,
                options.redisFlushBatch,
                options.redisBacklogFlushInterval,
                options.redisBacklogFlushBatch,
                options.orderingBacklogLag);
    }

    public Duration similarPublishInterval() {
        return options.similarPublishInterval;
    }

    public Duration similarRefreshInterval() {
        return options.similarRefreshInterval;
    }

    public List<String> recommenderParams() {
        return List.copyOf(options.recommenderParams);
    }

    public int itemModelCacheSize() {
        return options.itemModelCacheSize;
    }

    public int profileCacheSize() {
        return options.profileCacheSize;
    }

    /** Visitor profiles kept on the heap per parallel instance in a backlog. */
    public int profileBacklogCacheSize() {
        return options.profileBacklogCacheSize;
    }

    public Duration networkBufferTimeout() {
        return options.networkBufferTimeout;
    }

    public String segmentsFile() {
        return options.segmentsFile;
    }

    public Duration lapsedAfter() {
        return options.lapsedAfter;
    }

    public Duration atRiskAfter() {
        return options.atRiskAfter;
    }

    public Duration newPeriod() {
        return options.newPeriod;
    }

    public Duration anonymousTtl() {
        return options.anonymousTtl;
    }

    /**
     * The accepted event-time range at ingest, on the wall clock (the API's collector enforces the
     * same): records outside go to dead-letters.
     */
    public EventTimePolicy eventTimePolicy() {
        return new EventTimePolicy(
                EventTimePolicy.DEFAULT_MAX_AHEAD, options.eventMaxAge, options.eventClock);
    }

    /** How long an eventId is remembered to drop a repeated event. */
    public Duration dedupWindow() {
        return options.dedupWindow;
    }

    public Duration affinityHalfLife() {
        return options.affinityHalfLife;
    }

    /** The global cap: at most this many offers (sent or held out) per visitor per period. */
    public io.shopkeeper.schemas.offers.Caps.Global offersGlobalCap() {
        return new io.shopkeeper.schemas.offers.Caps.Global(
                options.offersGlobalCap, options.offersGlobalCapPer);
    }

    /** Share of visitors (percent) held out of every campaign. */
    public double offersGlobalHoldout() {
        return options.offersGlobalHoldout;
    }

    /** How long a view or cart keeps a visitor in an item's price-drop / back-in-stock index. */
    public Duration offersInterestWindow() {
        return options.offersInterestWindow;
    }

    /** Transactional id prefix of the exactly-once {@code offers} topic sink. */
    public String offersTransactionalIdPrefix() {
        return options.offersTransactionalIdPrefix;
    }

    /** Everything the profile operator and its {@code VisitorStep} are driven by. */
    public ProfileSettings profileSettings() {
        return new ProfileSettings(
                profileTtl(),
                anonymousTtl(),
                sessionGap(),
                affinityHalfLife(),
                newPeriod(),
                atRiskAfter(),
                lapsedAfter());
    }

    public String recommenderParamsFile() {
        return options.recommenderParamsFile;
    }

    /**
     * The recommender's defaults, then the knobs of {@code --recommender.params-file}, then the
     * {@code --recommender.param} overrides.
     */
    public RecommenderConfig recommenderConfig() {
        RecommenderConfig config = RecommenderConfig.defaults();
        if (options.recommenderParamsFile != null && !options.recommenderParamsFile.isBlank())
            RecommenderParams.apply(config, Path.of(options.recommenderParamsFile));
        for (String param : options.recommenderParams) {
            int eq = param.indexOf('=');
            if (eq <= 0)
                throw new IllegalArgumentException(
                        "bad --recommender.param '" + param + "': expected NAME=VALUE");
            config.set(param.substring(0, eq).trim(), param.substring(eq + 1).trim());
        }
        return config;
    }

    /** Mutable builder; also the picocli option holder for {@link #fromArgs}. */
    @CommandLine.Command(name = "personalization-job", mixinStandardHelpOptions = true)
    public static final class Builder implements Serializable, Cloneable {
        @Option(
                names = "--kafka.bootstrap",
                defaultValue = "${env:SHOPKEEPER_KAFKA_BOOTSTRAP:-localhost:9092}",
                description = "Kafka bootstrap servers.")
        private String kafkaBootstrap = "localhost:9092";

        @Option(
                names = "--kafka.group",
                defaultValue = "${env:SHOPKEEPER_KAFKA_GROUP:-shopkeeper-personalization}",
                description =
                        "Consumer group (offsets are committed on checkpoints, for monitoring lag).")
        private String groupId = "shopkeeper-personalization";

        @Option(
                names = "--from-earliest",
                defaultValue = "${env:SHOPKEEPER_FROM_EARLIEST:-true}",
                description =
                        "Without committed offsets, start from the earliest record (else the latest).")
        private boolean startFromEarliest = true;

        @Option(names = "--redis.host", defaultValue = "${env:SHOPKEEPER_REDIS_HOST:-localhost}")
        private String redisHost = "localhost";

        @Option(names = "--redis.port", defaultValue = "${env:SHOPKEEPER_REDIS_PORT:-6379}")
        private int redisPort = 6379;

        @Option(
                names = "--redis.cluster",
                defaultValue = "${env:SHOPKEEPER_REDIS_CLUSTER:-}",
                description =
                        "Some nodes of a Redis Cluster (host:port,...), used instead of --redis.host and --redis.port; empty: one Redis server.")
        private String redisCluster = "";

        @Option(names = "--parallelism", defaultValue = "${env:SHOPKEEPER_PARALLELISM:-2}")
        private int parallelism = 2;

        @Option(
                names = "--checkpointing.interval",
                defaultValue = "${env:SHOPKEEPER_CHECKPOINT_INTERVAL:-PT10S}",
                description =
                        "Checkpoint interval (ISO-8601 duration); Redis writes are also flushed on every checkpoint.")
        private Duration checkpointInterval = Duration.ofSeconds(10);

        @Option(
                names = "--state.timers",
                defaultValue = "${env:SHOPKEEPER_STATE_TIMERS:-HEAP}",
                description =
                        "Where event-time timers live: HEAP (cheapest per event; every checkpoint writes all of them, on the task thread) or ROCKSDB (a state write per timer change; checkpoints stay incremental). See docs/sizing.md.")
        private TimerStore timerStore = TimerStore.HEAP;

        public Builder timerStore(TimerStore v) {
            this.timerStore = v;
            return this;
        }

        @Option(
                names = "--state.local-dir",
                defaultValue = "${env:SHOPKEEPER_STATE_LOCAL_DIR:-}",
                description =
                        "RocksDB's working folder (scratch: rebuilt from the last checkpoint on every start); empty: the TaskManager's temporary folders. Every checkpoint flushes and syncs each state's new data there, on the task threads: a fast local disk, or memory (tmpfs) where the state fits, shortens that pause. See docs/sizing.md.")
        private String stateLocalDir = "";

        public Builder stateLocalDir(String dir) {
            this.stateLocalDir = dir;
            return this;
        }

        @Option(
                names = "--state.changelog",
                defaultValue = "${env:SHOPKEEPER_STATE_CHANGELOG:-false}",
                arity = "1",
                description =
                        "Flink's changelog state backend: checkpoints write the state changes since the last one, in the background, instead of flushing every RocksDB state on the task threads (the pause every visitor's update waits for at each checkpoint); RocksDB is snapshot at each materialization instead. Costs storage (the log until the next materialization) and restore time (it is replayed). See docs/sizing.md, \"Checkpoint pauses\".")
        private boolean stateChangelog = false;

        public Builder stateChangelog(boolean on) {
            this.stateChangelog = on;
            return this;
        }

        @Option(
                names = "--state.changelog.materialization",
                defaultValue = "${env:SHOPKEEPER_STATE_CHANGELOG_MATERIALIZATION:-PT10M}",
                description =
                        "With --state.changelog: how often RocksDB's state is snapshot (a pause of every stateful task, as a checkpoint without the changelog) and the log before it dropped. Longer: rarer pauses, a longer log to keep and to replay on restore.")
        private Duration changelogMaterialization = Duration.ofMinutes(10);

        public Builder changelogMaterialization(Duration interval) {
            this.changelogMaterialization = interval;
            return this;
        }

        @Option(
                names = "--checkpointing.dir",
                defaultValue =
                        "${env:SHOPKEEPER_CHECKPOINT_DIR:-file:///tmp/shopkeeper-checkpoints}",
                description = "Checkpoint storage URI (file://, s3://, hdfs://).")
        private String checkpointDir = "file:///tmp/shopkeeper-checkpoints";

        @Option(
                names = "--watermark.out-of-orderness",
                defaultValue = "${env:SHOPKEEPER_OUT_OF_ORDERNESS:-PT5S}",
                description =
                        "How late an event may arrive behind the newest one and still count in windows.")
        private Duration maxOutOfOrderness = Duration.ofSeconds(5);

        @Option(
                names = "--watermark.idleness",
                defaultValue = "${env:SHOPKEEPER_SOURCE_IDLENESS:-PT5S}",
                description = "A partition silent this long stops holding back event time.")
        private Duration sourceIdleness = Duration.ofSeconds(5);

        @Option(
                names = "--watermark.backlog-idleness",
                defaultValue = "${env:SHOPKEEPER_BACKLOG_IDLENESS:-PT5S}",
                description =
                        "A partition reading history (its newest event more than --ordering.backlog-lag behind the wall clock)"
                                + " silent this long stops holding back event time. Raise it (PT60S) for a backfill or a catch-up on a"
                                + " busy cluster: a stall of the broker or the machine is then not taken for the end of the history.")
        private Duration backlogIdleness = Duration.ofSeconds(5);

        @Option(
                names = "--ordering.backlog-lag",
                defaultValue = "${env:SHOPKEEPER_ORDERING_BACKLOG_LAG:-PT15S}",
                description =
                        "Event time (the watermark) this far behind the wall clock means a backlog (a backfill, catching up"
                                + " after downtime): each visitor's events are then applied in event-time order across topics.")
        private Duration orderingBacklogLag = Duration.ofSeconds(15);

        @Option(
                names = "--ordering.release-step",
                defaultValue = "${env:SHOPKEEPER_ORDERING_RELEASE_STEP:-PT1S}",
                description =
                        "In a backlog, an event held for order leaves once the watermark passes its time less the"
                                + " out-of-orderness, rounded up to a multiple of this: a visitor's events due within one step leave"
                                + " together.")
        private Duration orderingReleaseStep = Duration.ofSeconds(1);

        @Option(
                names = "--ordering.heap-events",
                defaultValue = "${env:SHOPKEEPER_ORDERING_HEAP_EVENTS:-20000}",
                description =
                        "In a backlog, events held for order kept on the heap per parallel instance (written to RocksDB"
                                + " only before a checkpoint barrier, if still held); beyond it they wait in RocksDB. 0 holds them"
                                + " all in RocksDB.")
        private int orderingHeapEvents = EventTimeOrder.DEFAULT_HEAP_EVENTS;

        @Option(
                names = "--profile.ttl",
                defaultValue = "${env:SHOPKEEPER_PROFILE_TTL:-P400D}",
                description =
                        "Safety net: any keyed state untouched this long (processing time) is dropped.")
        private Duration profileTtl = Duration.ofDays(400);

        @Option(
                names = "--session.gap",
                defaultValue = "${env:SHOPKEEPER_SESSION_GAP:-PT30M}",
                description = "Inactivity (event time) after which a visitor's session ends.")
        private Duration sessionGap = Duration.ofMinutes(30);

        @Option(
                names = "--trending.window",
                defaultValue = "${env:SHOPKEEPER_TRENDING_WINDOW:-PT30M}")
        private Duration trendingWindow = Duration.ofMinutes(30);

        @Option(names = "--trending.slide", defaultValue = "${env:SHOPKEEPER_TRENDING_SLIDE:-PT5M}")
        private Duration trendingSlide = Duration.ofMinutes(5);

        @Option(
                names = "--trending.size",
                defaultValue = "50",
                description = "Items kept per trending list.")
        private int trendingSize = 50;

        @Option(
                names = "--recommendations.size",
                defaultValue = "20",
                description = "Items kept per visitor list.")
        private int recommendationsSize = 20;

        @Option(
                names = "--recommendations.backlog-coalesce",
                defaultValue = "${env:SHOPKEEPER_RECOMMENDATIONS_BACKLOG_COALESCE:-PT5M}",
                description =
                        "In a backlog (see --ordering.backlog-lag) a visitor's list is ranked once per this much event time"
                                + " (or --recommendations.backlog-guard of processing time, whichever comes first), from their latest request, instead of on"
                                + " every event: only the last list reaches Redis anyway. Live, every event ranks at once. PT0S"
                                + " ranks every event.")
        private Duration recommendationsBacklogCoalesce = Duration.ofMinutes(5);

        @Option(
                names = "--recommendations.backlog-guard",
                defaultValue = "${env:SHOPKEEPER_RECOMMENDATIONS_BACKLOG_GUARD:-PT20S}",
                description =
                        "In a backlog, the longest (processing time) a visitor's pending ranking waits, at most PT1M. A replay"
                                + " runs many times faster than event time, so this, not --recommendations.backlog-coalesce, sets"
                                + " how often an active visitor is ranked and how far their list in Redis trails them.")
        private Duration recommendationsBacklogGuard = RecommendationFunction.DEFAULT_GUARD;

        @Option(
                names = "--recommendations.cache-size",
                defaultValue = "${env:SHOPKEEPER_RECOMMENDATIONS_CACHE:-10000}",
                description =
                        "Visitors whose session bookkeeping (held items, pending ranking) the recommendations keep on the heap"
                                + " per parallel instance, written to RocksDB before every checkpoint barrier (about 0.5 KB each;"
                                + " 0: every reply reads and writes it in RocksDB).")
        private int recommendationsCacheSize = RecommendationFunction.DEFAULT_CACHE_SIZE;

        @Option(
                names = "--redis.flush-interval",
                defaultValue = "PT0.05S",
                description =
                        "Longest a write waits in the Redis sink's buffer (freshness against batching).")
        private Duration redisFlushInterval = Duration.ofMillis(50);

        @Option(
                names = "--redis.flush-batch",
                defaultValue = "1000",
                description = "Buffered keys that force a flush.")
        private int redisFlushBatch = 1000;

        @Option(
                names = "--redis.backlog-flush-interval",
                defaultValue = "${env:SHOPKEEPER_REDIS_BACKLOG_FLUSH_INTERVAL:-PT5S}",
                description =
                        "In a backlog (see --ordering.backlog-lag), longest a write waits in the Redis sink's buffer: a"
                                + " visitor's writes within it reach Redis once, as the last of them.")
        private Duration redisBacklogFlushInterval = Duration.ofSeconds(5);

        @Option(
                names = "--redis.backlog-flush-batch",
                defaultValue = "${env:SHOPKEEPER_REDIS_BACKLOG_FLUSH_BATCH:-20000}",
                description =
                        "In a backlog, buffered keys that force a flush (heap: about this many documents per sink subtask).")
        private int redisBacklogFlushBatch = 20_000;

        @Option(
                names = "--similar.publish-interval",
                defaultValue = "PT5S",
                description =
                        "Longest a changed item's similar-items list waits before it is republished (visitors' own lists are not delayed by it).")
        private Duration similarPublishInterval = Duration.ofSeconds(5);

        public Builder similarPublishInterval(Duration v) {
            this.similarPublishInterval = v;
            return this;
        }

        @Option(
                names = "--similar.refresh-interval",
                defaultValue = "PT1M",
                description =
                        "Shortest time between two publications of one item's similar-items list: a popular item changed by every session is republished this often, not every --similar.publish-interval (PT0S: every interval).")
        private Duration similarRefreshInterval = Duration.ofMinutes(1);

        public Builder similarRefreshInterval(Duration v) {
            this.similarRefreshInterval = v;
            return this;
        }

        @Option(
                names = "--recommender.param",
                paramLabel = "NAME=VALUE",
                description =
                        "Override a recommender knob chosen on a validation split with ./shopkeeper backtest (repeatable), e.g. knnWeight=0.")
        private List<String> recommenderParams = new ArrayList<>();

        public Builder recommenderParam(String nameValue) {
            this.recommenderParams.add(nameValue);
            return this;
        }

        @Option(
                names = "--recommender.params-file",
                paramLabel = "FILE",
                defaultValue = "${env:SHOPKEEPER_RECOMMENDER_PARAMS:-}",
                description =
                        "Recommender knobs chosen for this store by ./shopkeeper tune (JSON params file); --recommender.param overrides single knobs.")
        private String recommenderParamsFile = "";

        public Builder recommenderParamsFile(String file) {
            this.recommenderParamsFile = file;
            return this;
        }

        @Option(
                names = "--items.cache-size",
                defaultValue = "${env:SHOPKEEPER_ITEM_CACHE:-40000}",
                description =
                        "Item models kept deserialized on the heap per parallel instance (write-back cache in front of RocksDB;"
                                + " about 5 KB of heap per model).")
        private int itemModelCacheSize = 40000;

        public Builder itemModelCacheSize(int v) {
            this.itemModelCacheSize = v;
            return this;
        }

        @Option(
                names = "--profile.cache-size",
                defaultValue = "${env:SHOPKEEPER_PROFILE_CACHE:-0}",
                description =
                        "Visitor profiles kept deserialized on the heap per parallel instance live (write-back cache in front of RocksDB, written back before every checkpoint barrier; 0: none): less CPU per event, but each checkpoint then holds visitors' updates back longer (docs/sizing.md). In a backlog --profile.backlog-cache-size applies.")
        private int profileCacheSize = ProfileFunction.DEFAULT_CACHE_SIZE;

        public Builder profileCacheSize(int v) {
            this.profileCacheSize = v;
            return this;
        }

        @Option(
                names = "--profile.backlog-cache-size",
                defaultValue = "${env:SHOPKEEPER_PROFILE_BACKLOG_CACHE:-10000}",
                description =
                        "As --profile.cache-size, in a backlog (see --ordering.backlog-lag): a backfill or a catch-up"
                                + " keeps this many profiles on the heap per parallel instance, where throughput counts more than"
                                + " the checkpoints' pause.")
        private int profileBacklogCacheSize = ProfileFunction.BACKFILL_CACHE_SIZE;

        public Builder profileBacklogCacheSize(int v) {
            this.profileBacklogCacheSize = v;
            return this;
        }

        @Option(
                names = "--network.buffer-timeout",
                defaultValue = "${env:SHOPKEEPER_BUFFER_TIMEOUT:-PT0.01S}",
                description =
                        "Longest a record waits in a network buffer between operators (freshness against throughput; Flink's default is 100 ms per hop).")
        private Duration networkBufferTimeout = Duration.ofMillis(10);

        public Builder networkBufferTimeout(Duration v) {
            this.networkBufferTimeout = v;
            return this;
        }

        @Option(
                names = "--segments.file",
                defaultValue = "${env:SHOPKEEPER_SEGMENTS_FILE:-}",
                description =
                        "JSON file of segment definitions; empty for the defaults shipped with the job.")
        private String segmentsFile = "";

        public Builder segmentsFile(String v) {
            this.segmentsFile = v;
            return this;
        }

        @Option(
                names = "--lifecycle.lapsed-after",
                defaultValue = "${env:SHOPKEEPER_LIFECYCLE_LAPSED:-P90D}",
                description = "Inactivity after which a customer has lapsed.")
        private Duration lapsedAfter = Duration.ofDays(90);

        public Builder lapsedAfter(Duration v) {
            this.lapsedAfter = v;
            return this;
        }

        @Option(
                names = "--lifecycle.at-risk-after",
                defaultValue = "${env:SHOPKEEPER_LIFECYCLE_AT_RISK:-P30D}",
                description = "Inactivity after which a customer is at risk.")
        private Duration atRiskAfter = Duration.ofDays(30);

        public Builder atRiskAfter(Duration v) {
            this.atRiskAfter = v;
            return this;
        }

        @Option(
                names = "--lifecycle.new-period",
                defaultValue = "${env:SHOPKEEPER_LIFECYCLE_NEW:-P30D}",
                description = "How long a visitor counts as new (and a returning one as won back).")
        private Duration newPeriod = Duration.ofDays(30);

        public Builder newPeriod(Duration v) {
            this.newPeriod = v;
            return this;
        }

        @Option(
                names = "--profile.anonymous-ttl",
                defaultValue = "${env:SHOPKEEPER_ANONYMOUS_TTL:-P30D}",
                description = "Anonymous visitors silent this long (event time) are forgotten.")
        private Duration anonymousTtl = Duration.ofDays(30);

        public Builder anonymousTtl(Duration v) {
            this.anonymousTtl = v;
            return this;
        }

        @Option(
                names = "--events.max-age",
                defaultValue = "${env:SHOPKEEPER_EVENT_MAX_AGE:-P30D}",
                description =
                        "Oldest event timestamp accepted at ingest (wall clock); older records go"
                                + " to dead-letters. Raise it to backfill older history.")
        private Duration eventMaxAge = EventTimePolicy.DEFAULT_MAX_AGE;

        public Builder eventMaxAge(Duration v) {
            this.eventMaxAge = v;
            return this;
        }

        /** The clock the event-time range is judged on (a fixed clock in tests). */
        private Clock eventClock = Clock.systemUTC();

        public Builder eventClock(Clock v) {
            this.eventClock = v;
            return this;
        }

        @Option(
                names = "--savepoints.dir",
                defaultValue = "${env:SHOPKEEPER_SAVEPOINT_DIR:-file:///tmp/shopkeeper-savepoints}",
                description = "Where savepoints go when none is named (file://, s3://, hdfs://).")
        private String savepointDir = "file:///tmp/shopkeeper-savepoints";

        public Builder savepointDir(Path dir) {
            this.savepointDir = dir.toAbsolutePath().toUri().toString();
            return this;
        }

        /** Savepoint storage URI (file://, s3://, hdfs://). */
        public Builder savepointDir(String uri) {
            this.savepointDir = uri;
            return this;
        }

        @Option(
                names = "--dedup.window",
                defaultValue = "${env:SHOPKEEPER_DEDUP_WINDOW:-P1D}",
                description =
                        "How long (event time) an eventId is remembered: a repeat within it is"
                                + " dropped. Orders are de-duplicated by orderId for their"
                                + " lifetime.")
        private Duration dedupWindow = Duration.ofDays(1);

        public Builder dedupWindow(Duration v) {
            this.dedupWindow = v;
            return this;
        }

        @Option(
                names = "--offers.global-cap",
                defaultValue = "${env:SHOPKEEPER_OFFERS_GLOBAL_CAP:-3}",
                description =
                        "At most this many offers (sent or held out) per visitor per"
                                + " --offers.global-cap-per, across campaigns (default:"
                                + " ${DEFAULT-VALUE}).")
        private int offersGlobalCap = 3;

        @Option(
                names = "--offers.global-cap-per",
                defaultValue = "${env:SHOPKEEPER_OFFERS_GLOBAL_CAP_PER:-P7D}",
                description = "The period of the global cap (default: ${DEFAULT-VALUE}).")
        private Duration offersGlobalCapPer = Duration.ofDays(7);

        public Builder offersGlobalCap(int max, Duration per) {
            this.offersGlobalCap = max;
            this.offersGlobalCapPer = per;
            return this;
        }

        @Option(
                names = "--offers.global-holdout",
                defaultValue = "${env:SHOPKEEPER_OFFERS_GLOBAL_HOLDOUT:-0}",
                description =
                        "Percent of visitors held out of every campaign (hash-based; default:"
                                + " ${DEFAULT-VALUE}).")
        private double offersGlobalHoldout = 0;

        public Builder offersGlobalHoldout(double percent) {
            this.offersGlobalHoldout = percent;
            return this;
        }

        @Option(
                names = "--offers.interest-window",
                defaultValue = "${env:SHOPKEEPER_OFFERS_INTEREST_WINDOW:-P30D}",
                description =
                        "How long a view or cart keeps a visitor in an item's price-drop and"
                                + " back-in-stock index (default: ${DEFAULT-VALUE}).")
        private Duration offersInterestWindow = Duration.ofDays(30);

        @Option(
                names = "--offers.transactional-id-prefix",
                defaultValue = "${env:SHOPKEEPER_OFFERS_TX_PREFIX:-shopkeeper-offers}",
                description =
                        "Transactional id prefix of the exactly-once offers topic sink; unique per"
                                + " job on a broker (default: ${DEFAULT-VALUE}).")
        private String offersTransactionalIdPrefix = "shopkeeper-offers";

        public Builder offersTransactionalIdPrefix(String v) {
            this.offersTransactionalIdPrefix = v;
            return this;
        }

        @Option(
                names = "--profile.affinity-half-life",
                defaultValue = "${env:SHOPKEEPER_AFFINITY_HALF_LIFE:-P14D}",
                description =
                        "Category and brand affinities halve over this much event time (default: ${DEFAULT-VALUE}).")
        private Duration affinityHalfLife = Duration.ofDays(14);

        public Builder affinityHalfLife(Duration v) {
            this.affinityHalfLife = v;
            return this;
        }

        @Option(
                names = "--heartbeat.interval",
                defaultValue = "${env:SHOPKEEPER_HEARTBEAT_INTERVAL:-PT1S}",
                description =
                        "How often the job publishes its heartbeat to Redis (read by the API's /health).")
        private Duration heartbeatInterval = Duration.ofSeconds(1);

        public Builder heartbeatInterval(Duration v) {
            this.heartbeatInterval = v;
            return this;
        }

        @Option(
                names = "--redis.retry-for",
                defaultValue = "${env:SHOPKEEPER_REDIS_RETRY_FOR:-PT60S}",
                description =
                        "How long the Redis sink retries a failed write (backoff up to 5 s) before the job fails over to its last checkpoint.")
        private Duration redisRetryFor = Duration.ofSeconds(60);

        public Builder redisRetryFor(Duration v) {
            this.redisRetryFor = v;
            return this;
        }

        public Builder kafkaBootstrap(String v) {
            this.kafkaBootstrap = v;
            return this;
        }

        public Builder groupId(String v) {
            this.groupId = v;
            return this;
        }

        public Builder startFromEarliest(boolean v) {
            this.startFromEarliest = v;
            return this;
        }

        public Builder redis(String host, int port) {
            this.redisHost = host;
            this.redisPort = port;
            return this;
        }

        /** Some nodes of a Redis Cluster ({@code host:port,...}); empty: the one server. */
        public Builder redisCluster(String nodes) {
            this.redisCluster = nodes == null ? "" : nodes;
            return this;
        }

        public Builder parallelism(int v) {
            this.parallelism = v;
            return this;
        }

        public Builder checkpointInterval(Duration v) {
            this.checkpointInterval = v;
            return this;
        }

        public Builder checkpointDir(String uri) {
            this.checkpointDir = uri;
            return this;
        }

        public Builder stateDir(Path dir) {
            this.checkpointDir = dir.toAbsolutePath().toUri().toString();
            return this;
        }

        public Builder maxOutOfOrderness(Duration v) {
            this.maxOutOfOrderness = v;
            return this;
        }

        public Builder sourceIdleness(Duration v) {
            this.sourceIdleness = v;
            return this;
        }

        public Builder backlogIdleness(Duration v) {
            this.backlogIdleness = v;
            return this;
        }

        public Builder orderingBacklogLag(Duration v) {
            this.orderingBacklogLag = v;
            return this;
        }

        public Builder orderingReleaseStep(Duration v) {
            this.orderingReleaseStep = v;
            return this;
        }

        public Builder orderingHeapEvents(int v) {
            this.orderingHeapEvents = v;
            return this;
        }

        public Builder profileTtl(Duration v) {
            this.profileTtl = v;
            return this;
        }

        public Builder sessionGap(Duration v) {
            this.sessionGap = v;
            return this;
        }

        public Builder trending(Duration window, Duration slide) {
            this.trendingWindow = window;
            this.trendingSlide = slide;
            return this;
        }

        public Builder trendingSize(int v) {
            this.trendingSize = v;
            return this;
        }

        public Builder recommendationsSize(int v) {
            this.recommendationsSize = v;
            return this;
        }

        public Builder recommendationsBacklogCoalesce(Duration v) {
            this.recommendationsBacklogCoalesce = v;
            return this;
        }

        public Builder recommendationsBacklogGuard(Duration v) {
            this.recommendationsBacklogGuard = v;
            return this;
        }

        public Builder recommendationsCacheSize(int v) {
            this.recommendationsCacheSize = v;
            return this;
        }

        public Builder redisFlush(Duration interval, int batch) {
            this.redisFlushInterval = interval;
            this.redisFlushBatch = batch;
            return this;
        }

        /** The Redis sinks' flush interval and batch in a backlog. */
        public Builder redisBacklogFlush(Duration interval, int batch) {
            this.redisBacklogFlushInterval = interval;
            this.redisBacklogFlushBatch = batch;
            return this;
        }

        /**
         * An immutable config from a copy of these options (later builder changes do not leak into
         * it).
         */
        public JobConfig build() {
            RedisEndpoint.parseNodes(redisCluster); // a malformed node list fails here, not later
            try {
                Builder copy = (Builder) clone();
                copy.recommenderParams = new ArrayList<>(recommenderParams);
                return new JobConfig(copy);
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /**
     * Where the job's event-time timers live (one per visitor in the profile step, plus dedup
     * expiry, identity expiry, ordering, offers and window timers). HEAP: a timer move is a heap
     * operation, but every checkpoint serializes every timer synchronously on the task thread, a
     * pause that grows with the number of visitors. ROCKSDB: each move is a RocksDB write, and
     * checkpoints stay incremental and asynchronous.
     */
    public enum TimerStore {
        HEAP,
        ROCKSDB
    }
}

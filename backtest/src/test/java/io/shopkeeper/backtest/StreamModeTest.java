package io.shopkeeper.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.backtest.Backtest.Mode;
import io.shopkeeper.backtest.Backtest.StreamList;
import io.shopkeeper.backtest.SessionData.Format;
import io.shopkeeper.jobs.recommend.RecommenderConfig;
import io.shopkeeper.schemas.ScoredItem;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backtest's stream mode: the job's data flow (session cap, session gap, snapshots cached at
 * each item's last view, event-time order across sessions). The equivalence with the real job is
 * {@code JobBacktestEquivalenceIT}; these pin the semantics on fixtures small enough to rank by
 * hand.
 */
class StreamModeTest {
    @TempDir Path dir;

    /**
     * Repeats (1, halving per step back) and first-order rules only; {@code positionDecay} sets how
     * far back neighbours count.
     */
    private static RecommenderConfig handConfig(double positionDecay) {
        return RecommenderConfig.defaults()
                .copy()
                .setSteps(1)
                .setSelfRules(false)
                .setBackwardWeight(0)
                .setPositionDecay(positionDecay)
                .setNormalisation(RecommenderConfig.Normalisation.MAX)
                .setShrinkage(0)
                .setRepeatWeight(1)
                .setRepeatDecay(0.5)
                .setSessionRuleWeight(0)
                .setAdaptiveRepeat(false)
                .setHalfLifeMillis(1000L * 24 * 3600 * 1000)
                .setKnnWeight(0);
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private List<StreamList> replay(
            Path train, Path test, Format format, int k, RecommenderConfig config)
            throws Exception {
        List<StreamList> lists = new ArrayList<>();
        BacktestResult r =
                Backtest.run(
                        new Backtest.Options(
                                train, test, format, k, Mode.STREAM, null, 3600, config),
                        lists::add);
        assertThat(r.mode()).isEqualTo("stream");
        return lists;
    }

    private static List<String> ids(StreamList list) {
        return list.items().stream().map(ScoredItem::getItemId).toList();
    }

    /**
     * Session items beyond the profile's 20 leave the session: only the last 20 are ranked (as
     * repeats).
     */
    @Test
    void keepsTheLastTwentySessionItems() throws Exception {
        List<String> items = new ArrayList<>();
        for (int i = 1; i <= 22; i++) items.add("i" + i);
        Path train = write("train.txt", "x y\n");
        Path test = write("test.txt", String.join(" ", items) + "\n");
        List<StreamList> lists = replay(train, test, Format.SESSIONS, 30, handConfig(0));
        StreamList last = lists.get(lists.size() - 1);
        assertThat(last.visitor()).isEqualTo("anon-s1");
        assertThat(last.sessionId()).isEqualTo("s1");
        assertThat(last.position()).isEqualTo(21);
        assertThat(last.test()).isTrue();
        // i22 has no follower yet, so the list is the 20 session items by recency, i1 and i2 gone
        List<String> expected = new ArrayList<>();
        for (int i = 22; i >= 3; i--) expected.add("i" + i);
        assertThat(ids(last)).isEqualTo(expected);
    }

    /**
     * More than the 30-minute session gap without events starts a new session (the job's profile
     * does); exactly 30 minutes does not. Visitor 1: "a b", 31 min, "c"; visitor 2: "a b", 30 min,
     * "c".
     */
    @Test
    void startsANewSessionAfterTheSessionGap() throws Exception {
        Path train = write("train.tsv", "SessionId\tItemId\tTime\n1\ta\t0\n1\tb\t1\n1\tc\t1861\n");
        Path test =
                write("test.tsv", "SessionId\tItemId\tTime\n2\ta\t5000\n2\tb\t5001\n2\tc\t6801\n");
        List<StreamList> lists = replay(train, test, Format.TSV, 5, handConfig(0));
        assertThat(lists).hasSize(6);
        assertThat(ids(lists.get(2)))
                .as("after a 31-minute pause: a new session [c]")
                .containsExactly("c");
        // same session [a b c]: c 1, b .5, a .25 (c has no follower)
        assertThat(ids(lists.get(5)))
                .as("after exactly 30 minutes: still [a b c]")
                .containsExactly("c", "b", "a");
    }

    /**
     * The snapshot of a session item is the one taken at its last view (the job caches what the
     * item model replied then), not the model's current neighbours. Visitor 0 views a at t=0 and b
     * at t=100; meanwhile visitor 1 teaches a -> x (t=20, 30). With neighbours of the last two
     * items counted, visitor 0's list after b has no x: a's snapshot is from t=0, when a had no
     * neighbours. Online mode (fresh snapshots) would rank x.
     */
    @Test
    void ranksWithTheSnapshotOfEachItemsLastView() throws Exception {
        Path train =
                write(
                        "train.tsv",
                        "SessionId\tItemId\tTime\n1\ta\t0\n1\tb\t100\n2\ta\t20\n2\tx\t30\n");
        Path test = write("test.tsv", "SessionId\tItemId\tTime\n3\tq\t1000\n");
        List<StreamList> lists = replay(train, test, Format.TSV, 5, handConfig(1));
        assertThat(lists)
                .extracting(StreamList::visitor)
                .containsExactly("anon-s0", "anon-s1", "anon-s1", "anon-s0", "anon-s2");
        assertThat(ids(lists.get(2))).as("visitor 1 after [a x]").containsExactly("x", "a");
        assertThat(ids(lists.get(3)))
                .as("visitor 0 after [a b]: a's snapshot predates a -> x")
                .containsExactly("b", "a");
    }

    @Test
    void commandLineAcceptsStreamMode() throws Exception {
        Path train = write("train.txt", "a b c\na b d\nb c\n");
        Path test = write("test.txt", "a b c\nc c b\n");
        Path json = dir.resolve("stream.json");
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int ok, help;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            ok =
                    Backtest.execute(
                            "--train",
                            train.toString(),
                            "--test",
                            test.toString(),
                            "--format",
                            "sessions",
                            "--k",
                            "2",
                            "--mode",
                            "stream",
                            "--json",
                            json.toString());
            help = Backtest.execute("--help");
        } finally {
            System.setOut(stdout);
        }
        assertThat(ok).isZero();
        assertThat(help).isZero();
        assertThat(Files.readString(json))
                .contains("\"mode\": \"stream\"")
                .contains("\"cases\": 4");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("frozen|online|stream")
                .contains("Flink job");
    }
}

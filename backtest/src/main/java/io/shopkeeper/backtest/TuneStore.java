package io.shopkeeper.backtest;

import io.shopkeeper.backtest.SessionData.Format;
import io.shopkeeper.backtest.SessionData.Session;
import io.shopkeeper.jobs.recommend.RecommenderConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tune}: chooses the recommender's knobs for one store from its training sessions alone
 * ({@link Tuner}), prints what it chose and why, and writes the params file the job reads with
 * {@code --recommender.params-file}.
 */
@Command(
        name = "tune",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Chooses the recommender's knobs on the latest --split of the training sessions (validation carved from"
                    + " the end of the file; no test file is read), prints the validation figures of the defaults and"
                    + " of the choice, and writes the chosen knobs to --out for the job's --recommender.params-file."
        })
public final class TuneStore implements Callable<Integer> {
    @Option(
            names = "--train",
            required = true,
            paramLabel = "FILE",
            description = "Training sessions.")
    Path train;

    @Option(
            names = "--format",
            required = true,
            paramLabel = "sessions|tsv",
            description =
                    "sessions: one session per line, item ids separated by spaces; tsv: header SessionId ItemId Time (unix seconds).")
    String format;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description = "Params file to write.")
    Path out;

    @Option(
            names = "--split",
            defaultValue = "0.1",
            paramLabel = "FRACTION",
            description =
                    "Share of the training sessions (the latest) held out to tune on (default ${DEFAULT-VALUE}).")
    double split;

    @Option(
            names = "--budget-seconds",
            defaultValue = "300",
            description =
                    "Stop the search (training excluded) with the best knobs so far once its evaluations have used this much CPU time per evaluating thread (2): on a busy machine it takes longer but chooses the same (default ${DEFAULT-VALUE}).")
    long budgetSeconds;

    @Option(
            names = "--cases",
            defaultValue = "10000",
            description =
                    "Validation cases each candidate is scored on (default ${DEFAULT-VALUE}).")
    int cases;

    @Option(
            names = "--k",
            defaultValue = "20",
            description = "List length (default ${DEFAULT-VALUE}).")
    int k;

    @Option(
            names = "--session-interval-seconds",
            defaultValue = "240",
            description =
                    "Synthetic clock for --format sessions: seconds between session starts (default ${DEFAULT-VALUE}).")
    long sessionIntervalSeconds;

    @Option(
            names = "--params-file",
            paramLabel = "FILE",
            description = "Start from the knobs of an earlier params file.")
    Path paramsFile;

    @Option(
            names = "--param",
            paramLabel = "NAME=VALUE",
            description = "Start from this knob value (repeatable).")
    List<String> params = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line; returns the exit code (0 ok, 1 failed run, 2 bad arguments). */
    public static int execute(String... args) {
        return Cli.execute("tune", new TuneStore(), args);
    }

    @Override
    public Integer call() throws Exception {
        Format fmt = Format.parse(format);
        if (!Files.isRegularFile(train))
            throw new IllegalArgumentException("training file not found: " + train);
        RecommenderConfig start = Backtest.startConfig(paramsFile, params);
        List<Session> sessions = SessionData.read(train, fmt, 0, sessionIntervalSeconds);
        Backtest.tuneAndReport(sessions, start, k, split, cases, budgetSeconds, out);
        return 0;
    }
}

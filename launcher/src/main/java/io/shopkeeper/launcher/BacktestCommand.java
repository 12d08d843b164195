package io.shopkeeper.launcher;

import io.shopkeeper.backtest.Backtest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code shopkeeper backtest ...}: runs the job's recommender over historical sessions (see {@link
 * Backtest}).
 */
@Command(
        name = "backtest",
        description =
                "Backtest the session recommender on historical sessions "
                        + "(--train FILE --test FILE --format sessions|tsv --k 20 [--mode frozen|online] [--json OUT]).")
public final class BacktestCommand implements Callable<Integer> {
    @Unmatched private List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return Backtest.execute(args.toArray(String[]::new));
    }
}

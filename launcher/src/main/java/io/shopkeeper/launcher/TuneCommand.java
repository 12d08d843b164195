package io.shopkeeper.launcher;

import io.shopkeeper.backtest.TuneStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code shopkeeper tune ...}: chooses the recommender's knobs for a store from its training
 * sessions and writes the params file the job reads (see {@link TuneStore}).
 */
@Command(
        name = "tune",
        description =
                "Choose the recommender's knobs for a store on the end of its training sessions "
                        + "(--train FILE --format sessions|tsv --out params.json); run the job with --recommender.params-file params.json.")
public final class TuneCommand implements Callable<Integer> {
    @Unmatched private List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return TuneStore.execute(args.toArray(String[]::new));
    }
}

package io.shopkeeper.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./shopkeeper} command: one entry point with a subcommand per task. */
@Command(
        name = "shopkeeper",
        mixinStandardHelpOptions = true,
        version = "shopkeeper 0.1.0",
        description = "Real-time personalization and recommendations for online stores.",
        subcommands = {
            QuickStartCommand.class,
            ClusterCommand.class,
            JobCommand.class,
            TrafficCommand.class,
            BacktestCommand.class,
            TuneCommand.class
        })
public final class ShopkeeperCli implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new ShopkeeperCli()).execute(args));
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}

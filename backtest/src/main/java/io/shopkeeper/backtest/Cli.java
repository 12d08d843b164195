package io.shopkeeper.backtest;

import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * Runs a picocli command of this module the one way: a bad argument ({@link
 * IllegalArgumentException}) prints its reason and a hint and exits 2; any other failure exits 1.
 */
final class Cli {
    private Cli() {}

    /** Runs {@code command} (named {@code name} in messages); returns the exit code. */
    static int execute(String name, Callable<Integer> command, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.setExecutionExceptionHandler(
                (ex, cmd, parseResult) -> {
                    if (ex instanceof IllegalArgumentException) {
                        cmd.getErr().println(name + ": " + ex.getMessage());
                        cmd.getErr().println("Try '" + name + " --help' for the options.");
                        return 2;
                    }
                    cmd.getErr().println(name + " failed: " + ex);
                    return 1;
                });
        return cl.execute(args);
    }
}

package io.shopkeeper.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.schemas.EventCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ShopkeeperCliTest {

    private static int run(String... args) {
        return new CommandLine(new ShopkeeperCli()).execute(args);
    }

    @Test
    void backtestSubcommandPassesEveryOptionThroughAndWritesItsJson(@TempDir Path dir)
            throws Exception {
        Path train = Files.writeString(dir.resolve("train.txt"), "a b c\na b d\nb c a\na b c\n");
        Path test = Files.writeString(dir.resolve("test.txt"), "a b c\n");
        Path out = dir.resolve("result.json");

        int exit =
                run(
                        "backtest",
                        "--train",
                        train.toString(),
                        "--test",
                        test.toString(),
                        "--format",
                        "sessions",
                        "--k",
                        "5",
                        "--mode",
                        "frozen",
                        "--json",
                        out.toString());

        assertThat(exit).isZero();
        JsonNode result = EventCodec.mapper().readTree(out.toFile());
        assertThat(result.path("cases").asInt()).isEqualTo(2);
        assertThat(result.path("k").asInt()).isEqualTo(5);
        assertThat(result.has("hr")).isTrue();
    }

    @Test
    void backtestWithAMissingFileFailsWithANonZeroExitCode(@TempDir Path dir) {
        assertThat(
                        run(
                                "backtest",
                                "--train",
                                dir.resolve("nope.txt").toString(),
                                "--test",
                                dir.resolve("nope.txt").toString(),
                                "--format",
                                "sessions",
                                "--k",
                                "20"))
                .isNotZero();
    }

    @Test
    void quickstartHelpListsItsOptions() {
        CommandLine cli = new CommandLine(new ShopkeeperCli());
        String usage = cli.getSubcommands().get("quickstart").getUsageMessage();
        assertThat(usage).contains("--wipe", "--rate", "--data-dir", "--api-port");
    }
}

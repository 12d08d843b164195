package io.shopkeeper.launcher;

import io.shopkeeper.launcher.simulator.SimulatorConfig;
import io.shopkeeper.launcher.simulator.StorefrontSimulator;
import io.shopkeeper.launcher.simulator.TrafficPublisher;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shopkeeper traffic}: the quick start's storefront simulator on its own, publishing
 * realistic sessions to the Kafka of any running shop (the local cluster's, or a real one) until
 * Ctrl-C or {@code --duration}.
 */
@Command(
        name = "traffic",
        mixinStandardHelpOptions = true,
        description = "Send simulated storefront traffic to a running shop's Kafka.")
public final class TrafficCommand implements Callable<Integer> {
    @Option(
            names = "--kafka",
            defaultValue = "localhost:9092",
            description = "Kafka bootstrap servers of the shop (default: ${DEFAULT-VALUE}).")
    String kafka;

    @Option(
            names = "--rate",
            defaultValue = "100",
            description = "Events per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--customers",
            defaultValue = "500",
            description = "Simulated customers (default: ${DEFAULT-VALUE}).")
    int customers;

    @Option(
            names = "--items",
            defaultValue = "3000",
            description = "Catalog size (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(
            names = "--backfill",
            defaultValue = "PT0S",
            description =
                    "Send this much history first, as fast as Kafka takes it (ISO-8601, e.g. PT1H).")
    Duration backfill;

    @Option(
            names = "--duration",
            description = "Stop after this long (ISO-8601, e.g. PT5M); default: until Ctrl-C.")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "traffic-stop"));
        SimulatorConfig config =
                SimulatorConfig.defaults()
                        .withCustomers(customers)
                        .withItems(items)
                        .withEventsPerSecond(rate);
        try (TrafficPublisher publisher =
                new TrafficPublisher(kafka, new StorefrontSimulator(config), rate)
                        .backfill(backfill)
                        .start()) {
            System.out.printf(
                    "Sending %.0f events/s from %d customers over %d items to %s (Ctrl-C stops)%n",
                    rate, customers, items, kafka);
            long deadline =
                    duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < deadline && !stop.await(10, TimeUnit.SECONDS)) {
                System.out.printf(
                        "sent %d, acknowledged %d, failed %d%n",
                        publisher.sent(), publisher.acknowledged(), publisher.failed());
            }
            System.out.printf(
                    "Stopped: sent %d, acknowledged %d, failed %d%n",
                    publisher.sent(), publisher.acknowledged(), publisher.failed());
            return publisher.failed() == 0 ? 0 : 1;
        }
    }
}

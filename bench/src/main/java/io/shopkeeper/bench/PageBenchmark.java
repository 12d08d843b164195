package io.shopkeeper.bench;

import io.shopkeeper.api.ApiServer;
import io.shopkeeper.jobs.JobConfig;
import io.shopkeeper.launcher.LocalJobSettings;
import io.shopkeeper.launcher.QuickStartCommand;
import io.shopkeeper.launcher.simulator.SimulatorConfig;
import io.shopkeeper.launcher.simulator.StorefrontSimulator;
import io.shopkeeper.launcher.simulator.TrafficPublisher;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.shop.LocalShop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Web pages: the first contentful paint of every console and demo-shop page, as a user on loopback
 * sees it, with the quick start's stack running (job, simulated traffic, example campaigns).
 *
 * <p>Each page is loaded {@code --loads} times as a fresh document, in one headless Chromium whose
 * first navigation (which also starts the renderer) is not counted. Every load starts from a page
 * of the same server ({@link #BLANK}), as a user clicking from page to page does: from {@code
 * about:blank} the browser would start a new renderer process for every load (site isolation), and
 * that process start (400-700 ms here) is no part of a page. Per page: the first contentful paint
 * ({@code first-contentful-paint}, the product's target: under 300 ms) and the time until the page
 * shows its data (a page-specific element is in the DOM, checked on every animation frame), median,
 * p90 and max.
 */
@Command(
        name = "pages",
        mixinStandardHelpOptions = true,
        description = "First paint of the console and demo-shop pages in headless Chromium.")
public final class PageBenchmark implements Callable<Integer> {
    static final long TARGET_FIRST_PAINT_MS = 300;

    /**
     * The same browser showing a small static file of the same server as text (no script, no
     * stylesheet): what no page can beat on this machine now, measured in the same run so the
     * pages' figures can be read against it.
     */
    static final String FLOOR = "/demo/demo.css";

    /**
     * Where every load starts: an address of the same server that answers a short JSON error (so
     * the renderer process is the one the page will use, as when a user follows a link).
     */
    static final String BLANK = "/bench-blank";

    @Option(
            names = "--loads",
            defaultValue = "15",
            description = "Fresh loads of each page. Default: ${DEFAULT-VALUE}.")
    int loads;

    @Option(
            names = "--rate",
            defaultValue = "100",
            description =
                    "Simulated events/s while measuring (the quick start's). Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(
            names = "--warmup-seconds",
            defaultValue = "20",
            description = "Traffic before the first page. Default: ${DEFAULT-VALUE}.")
    int warmupSeconds;

    @Option(names = "--chromium", defaultValue = "/usr/bin/chromium")
    Path chromium;

    @Option(names = "--chromedriver", defaultValue = "/usr/bin/chromedriver")
    Path chromedriver;

    @Option(
            names = "--results-dir",
            defaultValue = "bench/results",
            description = "Default: ${DEFAULT-VALUE}.")
    Path resultsDir;

    /** A page: where it is and the element that shows it has its data. */
    record Page(String name, String path, String dataShown) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new PageBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isExecutable(chromium) || !Files.isExecutable(chromedriver)) {
            System.err.println(
                    "No browser: install Debian's chromium and chromium-driver (or pass --chromium/--chromedriver).");
            return 2;
        }
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("loads", loads);
        options.put("rate", rate);
        options.put("warmupSeconds", warmupSeconds);
        options.put("chromium", chromium.toString());
        Results results = new Results("pages", options);
        results.put("systemLoadAverageAtStart", loadAverage());

        try (LocalShop shop = LocalShop.builder().start();
                JedisPooled redis = shop.redis().newClient()) {
            JobConfig config = LocalJobSettings.apply(shop.jobConfig()).build();
            shop.startJob(config);
            ApiServer api = shop.startApi(0);
            SimulatorConfig simulator = SimulatorConfig.defaults().withEventsPerSecond(rate);
            try (TrafficPublisher traffic =
                    new TrafficPublisher(
                                    shop.kafka().bootstrapServers(),
                                    new StorefrontSimulator(simulator),
                                    rate)
                            .start()) {
                int campaigns =
                        QuickStartCommand.defineExampleCampaigns(
                                api.port(), api.access().adminKey());
                results.put("campaignsLive", campaigns);
                System.err.printf("Stack up; warming up %d s of traffic...%n", warmupSeconds);
                TimeUnit.SECONDS.sleep(warmupSeconds); // traffic for the pages to show, not a wait
                String customer = someCustomerWithAProfile(redis, Duration.ofSeconds(60));
                String base = "http://localhost:" + api.port();
                List<Page> pages =
                        List.of(
                                new Page("browser-floor", FLOOR, "pre"),
                                new Page("demo-home", "/demo/", "#grid a[data-item]"),
                                new Page("demo-item", "/demo/#/item/{item}", "#page h1"),
                                new Page(
                                        "console-overview",
                                        "/console/#/",
                                        "#overview-segments table"),
                                new Page("console-segments", "/console/#/segments", "#view table"),
                                new Page(
                                        "console-customer",
                                        "/console/#/customer/" + customer,
                                        "#segments"),
                                new Page(
                                        "console-recommendations",
                                        "/console/#/recommendations",
                                        "#view table"),
                                new Page(
                                        "console-campaigns", "/console/#/campaigns", "#view table"),
                                new Page(
                                        "console-campaign",
                                        "/console/#/campaign/bargain-coupon",
                                        "#view h2"));
                measure(base, api.access().adminKey(), pages, results);
            }
        }
        results.put("systemLoadAverageAtEnd", loadAverage());
        Path file = results.write(resultsDir);
        System.out.println("Results: " + file);
        return 0;
    }

    private void measure(String base, String adminKey, List<Page> pages, Results results) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1280,1000");
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(chromedriver.toFile())
                        .usingAnyFreePort()
                        .build();
        WebDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(45));
        try {
            // The first navigation starts the renderer; the console keeps the key in the tab.
            load(browser, base, base + "/console/#key=" + adminKey);
            awaitElement(browser, "#view table, #view p");
            load(browser, base, base + "/demo/");
            awaitElement(browser, "#grid a[data-item]");
            String item =
                    browser.findElement(By.cssSelector("#grid a[data-item]"))
                            .getAttribute("data-item");

            Map<String, Object> perPage = results.section("pages");
            Map<String, Object> summary = results.section("summary");
            List<String> over = new ArrayList<>();
            System.out.printf(
                    "%-26s %22s %22s%n",
                    "page", "first paint ms p50/p90/max", "data shown p50/p90");
            for (Page page : pages) {
                String url = base + page.path().replace("{item}", item);
                long[] paint = new long[loads];
                long[] data = new long[loads];
                for (int i = 0; i < loads; i++) {
                    load(browser, base, url);
                    data[i] = awaitElement(browser, page.dataShown());
                    paint[i] = firstPaint(browser);
                }
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("firstPaintMs", Stats.of(paint).toMap());
                figures.put("dataShownMs", Stats.of(data).toMap());
                perPage.put(page.name(), figures);
                Stats p = Stats.of(paint);
                Stats d = Stats.of(data);
                if (!page.path().equals(FLOOR) && p.p90() > TARGET_FIRST_PAINT_MS) {
                    over.add(page.name());
                }
                System.out.printf(
                        "%-26s %22s %22s%n",
                        page.name(),
                        p.p50() + " / " + p.p90() + " / " + p.max(),
                        d.p50() + " / " + d.p90());
            }
            summary.put("targetFirstPaintMs", TARGET_FIRST_PAINT_MS);
            summary.put("pagesOverTargetAtP90", over);
            System.out.printf(
                    "Target: first paint under %d ms; pages over it at p90: %s%n",
                    TARGET_FIRST_PAINT_MS, over.isEmpty() ? "none" : over);
        } finally {
            browser.quit();
        }
    }

    /** Loads {@code url} as a fresh document, coming from {@link #BLANK} of the same server. */
    private static void load(WebDriver browser, String base, String url) {
        browser.get(base + BLANK);
        browser.get(url);
    }

    /**
     * Milliseconds from the navigation's start until an element matching {@code css} is in the
     * document, checked on every animation frame (fails after 30 s).
     */
    private static long awaitElement(WebDriver browser, String css) {
        Object at =
                ((JavascriptExecutor) browser)
                        .executeAsyncScript(
                                "var css = arguments[0], done = arguments[arguments.length - 1];"
                                        + " var start = performance.now();"
                                        + " (function check() {"
                                        + "   if (document.querySelector(css)) done(Math.round(performance.now()));"
                                        + "   else if (performance.now() - start > 30000) done(-1);"
                                        + "   else requestAnimationFrame(check);"
                                        + " })();",
                                css);
        long ms = ((Number) at).longValue();
        if (ms < 0)
            throw new IllegalStateException(css + " never appeared on " + browser.getCurrentUrl());
        return ms;
    }

    /**
     * The document's first contentful paint, ms after its navigation started. The paint entry is
     * recorded a frame after the content is in the DOM, so it is awaited (up to 10 s), not read.
     */
    private static long firstPaint(WebDriver browser) {
        Object at =
                ((JavascriptExecutor) browser)
                        .executeAsyncScript(
                                "var done = arguments[arguments.length - 1];"
                                        + " var timer = setTimeout(function () { done(-1); }, 10000);"
                                        + " new PerformanceObserver(function (list, observer) {"
                                        + "   list.getEntries().forEach(function (e) {"
                                        + "     if (e.name === 'first-contentful-paint') {"
                                        + "       observer.disconnect(); clearTimeout(timer);"
                                        + "       done(Math.round(e.startTime));"
                                        + "     }"
                                        + "   });"
                                        + " }).observe({type: 'paint', buffered: true});");
        long ms = ((Number) at).longValue();
        if (ms < 0) throw new IllegalStateException("no first paint on " + browser.getCurrentUrl());
        return ms;
    }

    /** A visitor the simulated traffic has given a profile (for the customer page). */
    private static String someCustomerWithAProfile(JedisPooled redis, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ScanParams match = new ScanParams().match(RedisKeys.profile("*")).count(500);
        while (System.nanoTime() < deadline) {
            ScanResult<String> page = redis.scan(ScanParams.SCAN_POINTER_START, match);
            if (!page.getResult().isEmpty()) {
                return page.getResult().get(0).substring(RedisKeys.profile("").length());
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        throw new IllegalStateException("no profile in Redis after " + timeout);
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage();
    }

    /** Median, p90 and max of a handful of samples (nearest rank). */
    record Stats(long p50, long p90, long max) {
        static Stats of(long[] samples) {
            long[] sorted = samples.clone();
            java.util.Arrays.sort(sorted);
            return new Stats(rank(sorted, 0.5), rank(sorted, 0.9), sorted[sorted.length - 1]);
        }

        private static long rank(long[] sorted, double q) {
            int index = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.max(0, index)];
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("p50", p50);
            m.put("p90", p90);
            m.put("max", max);
            return m;
        }
    }
}

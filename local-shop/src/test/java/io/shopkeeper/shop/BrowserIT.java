package io.shopkeeper.shop;

import static io.shopkeeper.jobs.testing.ShopEvents.T0;
import static io.shopkeeper.jobs.testing.ShopEvents.discountedLine;
import static io.shopkeeper.jobs.testing.ShopEvents.line;
import static io.shopkeeper.jobs.testing.ShopEvents.ordered;
import static io.shopkeeper.jobs.testing.ShopEvents.searched;
import static io.shopkeeper.jobs.testing.ShopEvents.sortedBy;
import static io.shopkeeper.jobs.testing.ShopEvents.viewed;
import static io.shopkeeper.jobs.testing.ShopEvents.withCoupon;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.jobs.testing.AwaitValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console and the demo shop in a real browser (Debian's headless {@code chromium} driven by
 * {@code chromedriver}) against the whole product: Kafka, Redis, the job on a MiniCluster and the
 * API. Screenshots of every page go to {@code target/browser/}, with the first-paint time of each
 * page in {@code target/browser/timings.txt}. Skipped, saying why, where no browser is installed.
 */
@EnabledIf(
        value = "browserInstalled",
        disabledReason =
                "no browser: install Debian's chromium and chromium-driver (.ci/run does) to run"
                        + " the browser tests")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserIT extends ShopTestBase {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path OUT = Path.of("target", "browser");
    static final Duration WAIT = Duration.ofSeconds(60);

    /** A coupon for price-sensitive visitors leaving at the price, nobody held out. */
    private static final String DEMO_COUPON =
            "{\"id\":\"demo-coupon\",\"name\":\"Coupon in the demo shop\","
                    + "\"trigger\":{\"type\":\"left_at_price\"},"
                    + "\"offer\":{\"kind\":\"coupon\",\"discountPercent\":10,\"validFor\":\"P2D\","
                    + "\"message\":\"10% off today\"},\"channel\":\"onsite\","
                    + "\"cap\":{\"perCustomer\":1,\"per\":\"P7D\"},\"holdoutPercent\":0,"
                    + "\"conversionWindow\":\"P7D\",\"priority\":50,\"status\":\"live\"}";

    private static WebDriver browser;

    static boolean browserInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    @BeforeAll
    static void startBrowser() throws IOException {
        Files.createDirectories(OUT);
        Files.writeString(OUT.resolve("timings.txt"), "page\tfirst paint (ms)\n");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1280,1000");
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .usingAnyFreePort()
                        .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) browser.quit();
    }

    private static String url(String path) {
        return "http://localhost:" + shop.api().port() + path;
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(browser, WAIT);
    }

    private static WebElement visible(String css) {
        return waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    private static void waitForText(String css, String text) {
        waiting()
                .until(
                        ExpectedConditions.textToBePresentInElementLocated(
                                By.cssSelector(css), text));
    }

    /** The number shown in the element, without its grouping commas or percent sign. */
    private static long number(String css) {
        return Long.parseLong(
                browser.findElement(By.cssSelector(css)).getText().replaceAll("[,%]", "").trim());
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /**
     * Keeps a screenshot of the page on screen and, the first time a loaded document is kept, its
     * first-paint time (a view reached inside the page, by a hash change, paints no first time).
     */
    private static void keep(String name) {
        try {
            Files.write(
                    OUT.resolve(name + ".png"),
                    ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            Object paint =
                    js(
                            "if (window.__firstPaintKept) return null;"
                                    + " window.__firstPaintKept = true;"
                                    + " var p = performance.getEntriesByName('first-contentful-paint')[0];"
                                    + " return p ? Math.round(p.startTime) : -1;");
            if (paint == null) return;
            Files.writeString(
                    OUT.resolve("timings.txt"),
                    name + "\t" + paint + "\n",
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Until the demo's tracker has handed every queued event to the collector. */
    private static void awaitTrackerQueueEmpty() {
        waiting()
                .until(
                        d ->
                                ((Number) js("return window.shopkeeperTracker.queue.length"))
                                                .intValue()
                                        == 0);
    }

    private static JsonNode awaitProfile(
            String visitor, String what, java.util.function.Predicate<JsonNode> done) {
        return AwaitValue.until(
                what,
                TIMEOUT,
                () -> {
                    JsonNode profile = getJsonIfPresent("/v1/customers/" + visitor + "/profile");
                    return profile != null && done.test(profile) ? profile : null;
                });
    }

    /** A fresh load of the page (not a hash change), so its first paint is its own. */
    private static void load(String path) {
        browser.get("about:blank");
        browser.get(url(path));
    }

    private static void openConsole(String route) {
        // As the quick start prints it: the admin key in the fragment, which the page keeps and
        // removes.
        load("/console/#key=" + shop.api().access().adminKey());
        visible("#view table, #view p");
        load("/console/" + route);
    }

    @Test
    @Order(1)
    void theDemoShopReactsToAVisitorsClicksAndTheirEventsReachTheJob() {
        // The browser's very first navigation also starts its renderer for the site: open the
        // site once, so the demo's first paint measures the page rather than the browser's start.
        load("/health");
        load("/demo/");
        visible("#grid a[data-item]");
        keep("demo-home");
        String visitor = browser.findElement(By.id("visitor")).getText();
        assertThat(visitor).startsWith("anon-");

        WebElement item = browser.findElement(By.cssSelector("#grid a[data-item]"));
        String itemId = item.getAttribute("data-item");
        item.click();
        visible("#add-to-cart").click();
        waitForText("#cart-count", "1");
        browser.findElement(By.id("q")).sendKeys("coupon");
        browser.findElement(By.cssSelector("#search button")).click();
        awaitTrackerQueueEmpty();
        keep("demo-product");

        // The job saw the clicks: the visitor's profile has the item viewed and carted.
        JsonNode profile =
                awaitProfile(
                        visitor,
                        "the demo visitor's profile with the carted item",
                        p -> p.path("recentCarts").toString().contains(itemId));
        assertThat(profile.path("recentViews").toString()).contains(itemId);

        // Other shoppers went from this item to another: the item now has neighbours.
        Instant now = Instant.now().minusSeconds(60);
        for (int k = 0; k < 3; k++) {
            send(viewed("demo-other-" + k, "s-demo-other-" + k, itemId, "c01", now));
            send(
                    viewed(
                            "demo-other-" + k,
                            "s-demo-other-" + k,
                            "demo-next",
                            "c01",
                            now.plusSeconds(5)));
        }
        AwaitValue.until(
                "the item's similar items",
                TIMEOUT,
                () -> {
                    JsonNode similar = getJsonIfPresent("/v1/items/" + itemId + "/similar?n=5");
                    return similar != null && similar.path("items").size() > 0 ? similar : null;
                });
        // The page reacts: the product page now recommends what others went on to.
        load("/demo/#/item/" + itemId);
        waiting()
                .until(
                        d ->
                                !d.findElements(By.cssSelector("#recs .sk-recommendations a"))
                                        .isEmpty());
        keep("demo-recommendations");
    }

    @Test
    @Order(2)
    void aBargainHunterLeavingAtThePriceSeesACouponInTheDemoShop() {
        java.net.http.HttpResponse<String> created = request("POST", "/v1/campaigns", DEMO_COUPON);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(getJson("/v1/campaigns/demo-coupon").path("status").asText()).isEqualTo("live");
        awaitCampaignsLiveInEveryDecisionSubtask(Instant.now());

        // A new visitor (the first test's visitor has a cart) who behaves like a bargain hunter in
        // one session: cheapest first, a search for coupons, then a product left at its price.
        load("/demo/");
        js("localStorage.clear()");
        browser.manage().deleteAllCookies();
        load("/demo/");
        visible("#grid a[data-item]");
        String visitor = browser.findElement(By.id("visitor")).getText();
        visible("#sort-price").click();
        waitForText("#sort-price", "Sorted by price");
        String itemId =
                browser.findElement(By.cssSelector("#grid a[data-item]")).getAttribute("data-item");
        browser.findElement(By.id("q")).sendKeys("coupon");
        browser.findElement(By.cssSelector("#search button")).click();
        waitForText("#page h1", "coupon");
        load("/demo/#/item/" + itemId);
        visible("#add-to-cart");
        awaitTrackerQueueEmpty();
        // Leaving the site: the tracker's page_leave beacon names the product on screen.
        browser.get("about:blank");

        // Back in the shop: the coupon appears when the job has decided it (the page asks again
        // every few seconds).
        load("/demo/");
        waitForText("#offers .sk-offer", "10% off today");
        assertThat(browser.findElement(By.id("visitor")).getText()).isEqualTo(visitor);
        JsonNode offer = getJson("/v1/offers?customer=" + visitor).path("offers").get(0);
        assertThat(offer.path("campaignId").asText()).isEqualTo("demo-coupon");
        assertThat(offer.path("reason").asText()).isEqualTo("left_at_price:" + itemId);
        assertThat(browser.findElement(By.cssSelector("#offers .sk-coupon")).getText())
                .contains(offer.path("couponCode").asText());
        keep("demo-coupon");
    }

    @Test
    @Order(3)
    void theConsoleShowsWhyABargainHunterIsFlagged() {
        for (int order = 0; order < 3; order++) {
            Instant at = T0.plus(Duration.ofHours(order));
            String session = "s-browser-" + order;
            send(searched("cust-browser", session, "coupon code", 4, at));
            send(sortedBy("cust-browser", session, "price_asc", at.plusSeconds(10)));
            send(viewed("cust-browser", session, "shoe-" + order, "shoes", at.plusSeconds(20)));
            send(
                    withCoupon(
                            ordered(
                                    "cust-browser",
                                    session,
                                    "o-browser-" + order,
                                    at.plusSeconds(300),
                                    discountedLine("shoe-" + order, "shoes", 1, 30.0, 60.0)),
                            "SAVE50",
                            30.0));
        }
        JsonNode profile =
                awaitProfile(
                        "cust-browser",
                        "the bargain hunter flagged price-sensitive",
                        p -> p.path("priceSensitive").path("flagged").asBoolean());
        String firstReason = profile.path("priceSensitive").path("reasons").get(0).asText();

        openConsole("#/customer/cust-browser");
        waitForText("#price-signal", "Price-sensitive: yes");
        WebElement reason =
                browser.findElement(
                        By.cssSelector("#price-signal li[data-reason='" + firstReason + "']"));
        // In words, not codes.
        assertThat(reason.getText()).isNotEqualTo(firstReason).doesNotContain("_");
        // What they would see now (possibly nothing yet in this tiny shop).
        assertThat(browser.findElements(By.id("recommendations"))).hasSize(1);
        keep("console-customer");
    }

    @Test
    @Order(4)
    void theConsolesOtherPagesRender() {
        // A second buyer, spending ten times the bargain hunter's 90: the top 20% of two buyers
        // (0.4 of the big one) bring 0.4 * 900 / 990 = 36% of the revenue.
        send(
                ordered(
                        "cust-big",
                        "s-big",
                        "o-big",
                        T0.plus(Duration.ofHours(5)),
                        line("bag-1", "bags", 1, 900.0)));
        AwaitValue.until(
                "the store's figures with both buyers",
                TIMEOUT,
                () -> {
                    JsonNode stats = getJsonIfPresent("/v1/stats");
                    return stats != null && stats.path("revenue").path("buyers").asLong() == 2
                            ? stats
                            : null;
                });

        openConsole("#/");
        waitForText("#main", "Events per minute");
        waiting().until(d -> !d.findElements(By.cssSelector("#overview-segments table")).isEmpty());
        waiting()
                .until(
                        d ->
                                d.findElement(By.cssSelector("#customers-known .big"))
                                        .getText()
                                        .matches("\\d+"));
        // cust-browser and cust-big at least; the demo's anonymous visitor and shoppers too.
        assertThat(number("#customers-known .big")).isGreaterThanOrEqualTo(2);
        assertThat(number("#visitors-known .big")).isGreaterThanOrEqualTo(5);
        keep("console-overview");
        load("/console/#/segments");
        visible("#view table a[href^='#/segment/']");
        visible("#top-fifth-share");
        assertThat(number("#top-fifth-share")).isBetween(32L, 41L);
        keep("console-segments");
        browser.findElement(By.cssSelector("a[href='#/segment/price_sensitive']")).click();
        waitForText("#members", "cust-browser");
        keep("console-segment-members");
        load("/console/#/recommendations");
        // The demo shop's product page showed recommendations (the first test) and the tracker
        // reported them with the answer's id: real figures, counted by the job per strategy.
        waiting()
                .until(
                        d ->
                                d.findElements(By.cssSelector("#rec-results tbody tr")).stream()
                                        .map(r -> r.findElements(By.tagName("td")))
                                        .anyMatch(
                                                cells ->
                                                        cells.size() == 7
                                                                && cells.get(1)
                                                                        .getText()
                                                                        .equals("product")
                                                                && !cells.get(2)
                                                                        .getText()
                                                                        .equals("0")));
        keep("console-recommendations");
        // Phone-sized.
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        load("/console/#/customer/cust-browser");
        waitForText("#price-signal", "Price-sensitive");
        keep("console-customer-phone");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
    }

    @Test
    @Order(5)
    void aMarketerCreatesACampaignWithTheValidationNextToTheFieldPreviewsItAndPausesIt() {
        openConsole("#/campaign-new");
        visible("#f-id").sendKeys("browser-coupon");
        browser.findElement(By.id("f-name")).sendKeys("Coupon for bargain hunters");
        WebElement audience = browser.findElement(By.id("f-audience"));
        audience.clear();
        audience.sendKeys("bargainHunter == true");
        browser.findElement(By.id("save-draft")).click();
        // The API's own reason, next to the field it names.
        waiting().until(d -> !d.findElement(By.id("err-audience")).getText().isBlank());
        assertThat(audience.getAttribute("aria-invalid")).isEqualTo("true");
        keep("console-campaign-invalid");

        audience.clear();
        audience.sendKeys("priceSensitive");
        browser.findElement(By.id("save-live")).click();
        waitForText("#campaign-status", "live");
        browser.findElement(By.id("preview")).click();
        waitForText("#reach-result", "known visitors would be considered now");
        visible("#results-chart");
        keep("console-campaign");
        browser.findElement(By.id("campaign-pause")).click();
        waitForText("#campaign-status", "paused");
        assertThat(getJson("/v1/campaigns/browser-coupon").path("status").asText())
                .isEqualTo("paused");
        load("/console/#/campaigns");
        waitForText("#campaigns", "Coupon for bargain hunters");
        keep("console-campaigns");
    }

    @Test
    @Order(6)
    void forgettingACustomerFromTheConsoleAsksFirstThenForgetsThem() {
        openConsole("#/customer/cust-browser");
        visible("#forget").click();
        WebElement go = visible("#forget-go");
        assertThat(go.isEnabled()).isFalse();
        browser.findElement(By.id("forget-confirm")).sendKeys("cust-browser");
        assertThat(go.isEnabled()).isTrue();
        keep("console-forget-confirm");
        go.click();
        visible("#forgotten");
        keep("console-forgotten");
        assertThat(getJson("/v1/customers/cust-browser/deletion").path("status").asText())
                .isEqualTo("done");
        assertThat(getJsonIfPresent("/v1/customers/cust-browser/profile")).isNull();
    }

    @Test
    @Order(7)
    void theConsoleAsksForTheAdminKeyAndRefusesAWrongOne() {
        load("/console/");
        js("sessionStorage.clear()");
        browser.navigate().refresh();
        WebElement input = visible("#key-input");
        input.sendKeys(shop.api().access().storefrontKey());
        browser.findElement(By.id("key-save")).click();
        waitForText("#key-error", "this route needs the admin key");
        keep("console-key");
        assertThat(request("GET", "/v1/segments", null).headers().firstValue("Content-Type"))
                .isPresent();
        List<String> lines = readLines(OUT.resolve("timings.txt"));
        assertThat(lines).hasSizeGreaterThan(5);
        System.out.println("Browser pages, first paint (ms):\n" + String.join("\n", lines));
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.shopkeeper.launcher.simulator;

import io.shopkeeper.schemas.ShopEvent;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plays one visitor session and writes it with {@link StorefrontEvents}: a list of events with
 * increasing timestamps. A session has an intent (buy, browse, or drift without finding anything)
 * and the visitor's lasting traits colour every choice: favourite categories and brand, price
 * sensitivity (sorts by price, prefers discounts, uses coupons, leaves at the price, abandons at
 * checkout).
 *
 * <p>Not thread-safe; one builder per event stream. Prices come from the stream's current price
 * book.
 */
final class SessionBuilder {
    private enum Intent {
        BUY,
        BROWSE,
        DRIFT
    }

    /** Distinct items a cart holds at most. */
    private static final int MAX_CART_LINES = 12;

    /** How far back in the session a visitor goes to an earlier item. */
    private static final int RECALLED_VIEWS = 32;

    private final SimulatedCatalog catalog;
    private final PriceBook prices;

    // Per session.
    private SplittableRandom rnd;
    private StorefrontEvents out;
    private String linkedCustomerId;
    private Visitors.Traits traits;
    private Intent intent;
    private int currentItem;
    private int currentCategory;
    private boolean sortedByPrice;
    private boolean ended;

    SessionBuilder(SimulatedCatalog catalog, PriceBook prices) {
        this.catalog = catalog;
        this.prices = prices;
    }

    List<ShopEvent> build(Visitors.Visitor visitor, long startMillis, SplittableRandom random) {
        rnd = random;
        out =
                new StorefrontEvents(
                        catalog, prices::price, rnd, visitor.customerId(), visitor.anonymousId());
        out.startSession(startMillis);
        linkedCustomerId = visitor.linkedCustomerId();
        traits = visitor.traits();
        currentItem = -1;
        currentCategory = -1;
        sortedByPrice = false;
        ended = false;

        double r = rnd.nextDouble();
        intent =
                (traits.drifter() && r < 0.7) || r < 0.06
                        ? Intent.DRIFT
                        : rnd.nextDouble() < traits.buyPropensity() ? Intent.BUY : Intent.BROWSE;
        int steps =
                switch (intent) {
                    case BUY -> 2 + Draws.geometric(rnd, 7);
                    case BROWSE -> 1 + Draws.geometric(rnd, 5);
                    case DRIFT -> 5 + Draws.geometric(rnd, 10);
                };
        int loginAt =
                linkedCustomerId != null && rnd.nextDouble() < 0.25 ? rnd.nextInt(steps + 1) : -1;

        land();
        for (int step = 0; step < steps && !ended; step++) {
            if (step == loginAt) login();
            if (intent == Intent.DRIFT) driftStep();
            else shopStep();
        }
        if (!ended && out.cartLines() > 0) checkout();
        out.endSession();
        return out.events();
    }

    // ---- the parts of a session

    private void land() {
        double r = rnd.nextDouble();
        int c = intent == Intent.DRIFT ? rnd.nextInt(catalog.categoryCount()) : favouriteCategory();
        if (r < 0.45) {
            pageView("home", "/");
        } else if (r < 0.75) {
            categoryPage(c);
            viewProduct(chooseItem(c));
        } else if (r < 0.90) {
            search(c, intent == Intent.DRIFT ? 0.35 : 0.05);
        } else {
            viewProduct(chooseItem(c)); // landed from an ad or a search engine
        }
    }

    private void shopStep() {
        if (currentItem < 0) {
            int c = favouriteCategory();
            categoryPage(c);
            viewProduct(chooseItem(c));
            return;
        }
        List<Integer> viewed = out.viewedThisSession();
        double r = rnd.nextDouble();
        if (r < 0.38) {
            viewProduct(catalog.relatedItem(currentItem, rnd));
        } else if (r < 0.52) {
            int c = rnd.nextDouble() < 0.7 ? currentCategory : favouriteCategory();
            categoryPage(c);
            viewProduct(chooseItem(c));
        } else if (r < 0.60 && viewed.size() > 1) {
            // back to an earlier item
            viewProduct(viewed.get(rnd.nextInt(Math.min(viewed.size(), RECALLED_VIEWS))));
        } else if (r < 0.68) {
            search(rnd.nextDouble() < 0.7 ? currentCategory : favouriteCategory(), 0.05);
        } else if (r < 0.72) {
            pageView("home", "/");
        } else if (r < 0.78) {
            recommendationWidget();
        } else if (r < 0.83 && catalog.complementOf(currentCategory) >= 0) {
            int c = catalog.complementOf(currentCategory);
            viewProduct(
                    catalog.itemAt(
                            c, Math.min(catalog.rankOf(currentItem), catalog.categorySize(c) - 1)));
        } else if (r < 0.88 && out.cartLines() > 0) {
            out.removeFromCart(rnd.nextInt(out.cartLines()));
            think(4_000);
        } else {
            viewProduct(catalog.relatedItem(currentItem, rnd));
        }
    }

    /**
     * Jumping around without finding anything: random categories, unpopular items, failed searches.
     */
    private void driftStep() {
        double r = rnd.nextDouble();
        int nc = catalog.categoryCount();
        if (r < 0.35 || currentCategory < 0) {
            int c = rnd.nextInt(nc);
            categoryPage(c);
            viewProduct(catalog.itemAt(c, rnd.nextInt(catalog.categorySize(c))));
        } else if (r < 0.55) {
            viewProduct(
                    catalog.itemAt(
                            currentCategory, rnd.nextInt(catalog.categorySize(currentCategory))));
        } else if (r < 0.75) {
            search(rnd.nextInt(nc), 0.35);
        } else if (r < 0.85) {
            pageView(
                    rnd.nextBoolean() ? "home" : "other",
                    rnd.nextBoolean() ? "/" : "/help/shipping");
        } else if (r < 0.92) {
            sort(StorefrontEvents.SORTS[rnd.nextInt(StorefrontEvents.SORTS.length)]);
        } else {
            out.categoryPage(currentCategory);
            think(7_000);
        }
    }

    private void categoryPage(int c) {
        currentCategory = c;
        out.categoryPage(c);
        think(7_000);
        sortedByPrice = false;
        if (traits.priceSensitive() && rnd.nextDouble() < 0.55) {
            sort("price_asc");
        } else if (rnd.nextDouble() < 0.10) {
            sort(StorefrontEvents.SORTS[rnd.nextInt(StorefrontEvents.SORTS.length)]);
        }
    }

    private void sort(String by) {
        out.sort(by);
        sortedByPrice = by.equals("price_asc");
        think(3_000);
    }

    private void search(int c, double zeroResultShare) {
        String[] terms = catalog.searchTerms(c);
        String term = terms[rnd.nextInt(terms.length)];
        boolean zero = rnd.nextDouble() < zeroResultShare;
        String query;
        if (zero) {
            query = out.typo(term);
        } else if (rnd.nextDouble() < 0.2) {
            query = catalog.brandName(traits.favouriteBrand()).toLowerCase() + " " + term;
        } else if (traits.priceSensitive() && rnd.nextDouble() < 0.25) {
            query = "cheap " + term;
        } else {
            query = term;
        }
        out.search(query, zero ? -1 : c)
                .setResultCount(
                        zero
                                ? 0
                                : 3
                                        + Math.min(
                                                catalog.categorySize(c),
                                                2 + Draws.geometric(rnd, 40)));
        think(2_500);
        pageView("search", "/search?q=" + query.replace(' ', '+'));
        if (zero) {
            if (rnd.nextDouble() < 0.5) search(c, zeroResultShare / 2);
            return;
        }
        currentCategory = c;
        viewProduct(chooseItem(c));
    }

    private void recommendationWidget() {
        ShopEvent shown = out.recommendationImpression();
        think(1_500);
        if (rnd.nextDouble() < 0.25) {
            int item = catalog.relatedItem(currentItem, rnd);
            out.recommendationClick(shown, item);
            think(400);
            viewProduct(item);
        }
    }

    private void viewProduct(int item) {
        currentItem = item;
        currentCategory = catalog.categoryOf(item);
        out.productView(item);
        think(20_000);
        boolean discounted = prices.listPrice(item) > prices.price(item) + 1e-9;
        if (traits.priceSensitive() && !discounted && rnd.nextDouble() < 0.18) {
            ended = true; // saw the price and left
            return;
        }
        if (intent == Intent.DRIFT || !prices.inStock(item)) return;
        double p = intent == Intent.BUY ? 0.22 : 0.05;
        if (traits.priceSensitive()) p *= discounted ? 1.6 : 0.35;
        if (catalog.brandOf(item) == traits.favouriteBrand()) p *= 1.5;
        if (rnd.nextDouble() < p) addToCart(item);
    }

    private void addToCart(int item) {
        int quantity = rnd.nextDouble() < 0.1 ? 2 : 1;
        if (!out.inCart(item) && out.cartLines() == MAX_CART_LINES) return;
        out.addToCart(item, quantity);
        think(6_000);
    }

    private void login() {
        if (linkedCustomerId == null || out.customerId() != null) return;
        out.login(linkedCustomerId);
        think(5_000);
    }

    private void checkout() {
        double checkoutShare = intent == Intent.BUY ? 0.8 : 0.2;
        if (rnd.nextDouble() >= checkoutShare) return; // cart abandoned before checkout
        if (out.customerId() == null && linkedCustomerId != null && rnd.nextDouble() < 0.85)
            login();
        pageView("cart", "/cart");
        out.checkoutStart();
        think(30_000);
        pageView("checkout", "/checkout");

        boolean coupon = rnd.nextDouble() < (traits.priceSensitive() ? 0.4 : 0.06);
        double orderShare = traits.priceSensitive() ? (coupon ? 0.7 : 0.35) : 0.8;
        if (rnd.nextDouble() >= orderShare) return; // left when the total appeared
        out.order(coupon);
        think(8_000);
        pageView("other", "/order/confirmation");
    }

    // ---- choices

    private int favouriteCategory() {
        double r = rnd.nextDouble();
        int[] favourites = traits.favouriteCategories();
        return r < 0.6 ? favourites[0] : r < 0.88 ? favourites[1] : favourites[2];
    }

    /**
     * A popular item of the category, nudged towards the visitor's brand, or cheap/discounted
     * items.
     */
    private int chooseItem(int c) {
        int best = catalog.popularItem(c, rnd);
        int candidates = sortedByPrice ? 5 : 3;
        for (int k = 1; k < candidates; k++) {
            int other = catalog.popularItem(c, rnd);
            if (catalog.brandOf(other) == traits.favouriteBrand()
                    && catalog.brandOf(best) != traits.favouriteBrand()) {
                best = other;
            } else if ((traits.priceSensitive() || sortedByPrice) && score(other) < score(best)) {
                best = other;
            }
        }
        return best;
    }

    /**
     * Lower is more attractive to a price-hunter: the price, halved when the item is on discount.
     */
    private double score(int item) {
        double price = prices.price(item);
        return prices.listPrice(item) > price + 1e-9 ? price * 0.5 : price;
    }

    // ---- time

    private void pageView(String pageType, String url) {
        out.pageView(pageType, url);
        think(7_000);
    }

    /** Lets a log-normal think time around {@code medianGapMillis} pass. */
    private void think(long medianGapMillis) {
        double gap = medianGapMillis * Math.exp(0.7 * rnd.nextGaussian());
        out.pass(Math.max(200, Math.min(600_000, (long) gap)));
    }
}

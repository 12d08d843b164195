package io.shopkeeper.launcher.simulator;

import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.OrderLine;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes one visitor session as a list of events with increasing timestamps. A session has an
 * intent (buy, browse, or drift without finding anything) and the visitor's lasting traits colour
 * every choice: favourite categories and brand, price sensitivity (sorts by price, prefers
 * discounts, uses coupons, leaves at the price, abandons at checkout).
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

    private static final String[] SORTS = {
        "popularity", "newest", "price_desc", "rating", "price_asc"
    };
    private static final String[] COUPONS = {"SAVE10", "WELCOME15", "FLASH20"};
    private static final double[] COUPON_RATES = {0.10, 0.15, 0.20};
    private static final String CURRENCY = "EUR";

    private final SimulatedCatalog catalog;
    private final PriceBook prices;

    // Per session.
    private SplittableRandom rnd;
    private long t;
    private String sessionId;
    private String customerId;
    private String anonymousId;
    private String linkedCustomerId;
    private Visitors.Traits traits;
    private Intent intent;
    private List<ShopEvent> out;
    private final int[] cart = new int[12];
    private final int[] cartQuantity = new int[12];
    private int cartSize;
    private final int[] viewed = new int[32];
    private int viewedCount;
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
        t = startMillis;
        sessionId = Ids.hex("s-", rnd);
        customerId = visitor.customerId();
        anonymousId = visitor.anonymousId();
        linkedCustomerId = visitor.linkedCustomerId();
        traits = visitor.traits();
        out = new ArrayList<>(16);
        cartSize = 0;
        viewedCount = 0;
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
                    case BUY -> 2 + geometric(7);
                    case BROWSE -> 1 + geometric(5);
                    case DRIFT -> 5 + geometric(10);
                };
        int loginAt =
                linkedCustomerId != null && rnd.nextDouble() < 0.25 ? rnd.nextInt(steps + 1) : -1;

        land();
        for (int step = 0; step < steps && !ended; step++) {
            if (step == loginAt) login();
            if (intent == Intent.DRIFT) driftStep();
            else shopStep();
        }
        if (!ended && cartSize > 0) checkout();
        if (rnd.nextDouble() < PageLeaves.DELIVERED)
            out.add(PageLeaves.describe(event(EventType.PAGE_LEAVE), out.get(out.size() - 1)));
        return out;
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
        double r = rnd.nextDouble();
        if (r < 0.38) {
            viewProduct(catalog.relatedItem(currentItem, rnd));
        } else if (r < 0.52) {
            int c = rnd.nextDouble() < 0.7 ? currentCategory : favouriteCategory();
            categoryPage(c);
            viewProduct(chooseItem(c));
        } else if (r < 0.60 && viewedCount > 1) {
            viewProduct(
                    viewed[
                            rnd.nextInt(
                                    Math.min(
                                            viewedCount,
                                            viewed.length))]); // back to an earlier item
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
        } else if (r < 0.88 && cartSize > 0) {
            removeFromCart();
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
            sort(SORTS[rnd.nextInt(SORTS.length)]);
        } else {
            pageView("category", "/c/" + catalog.categoryId(currentCategory));
        }
    }

    private void categoryPage(int c) {
        currentCategory = c;
        pageView("category", "/c/" + catalog.categoryId(c));
        sortedByPrice = false;
        if (traits.priceSensitive() && rnd.nextDouble() < 0.55) {
            sort("price_asc");
        } else if (rnd.nextDouble() < 0.10) {
            sort(SORTS[rnd.nextInt(SORTS.length)]);
        }
    }

    private void sort(String by) {
        ShopEvent e = event(EventType.SORT);
        e.setSortBy(by);
        sortedByPrice = by.equals("price_asc");
        emit(e, 3_000);
    }

    private void search(int c, double zeroResultShare) {
        String[] terms = catalog.searchTerms(c);
        String term = terms[rnd.nextInt(terms.length)];
        boolean zero = rnd.nextDouble() < zeroResultShare;
        String query;
        if (zero) {
            query = typo(term);
        } else if (rnd.nextDouble() < 0.2) {
            query = catalog.brandName(traits.favouriteBrand()).toLowerCase() + " " + term;
        } else if (traits.priceSensitive() && rnd.nextDouble() < 0.25) {
            query = "cheap " + term;
        } else {
            query = term;
        }
        ShopEvent e = event(EventType.SEARCH);
        e.setQuery(query);
        e.setResultCount(zero ? 0 : 3 + Math.min(catalog.categorySize(c), 2 + geometric(40)));
        if (!zero) e.setCategoryId(catalog.categoryId(c));
        emit(e, 2_500);
        pageView("search", "/search?q=" + query.replace(' ', '+'));
        if (zero) {
            if (rnd.nextDouble() < 0.5) search(c, zeroResultShare / 2);
            return;
        }
        currentCategory = c;
        viewProduct(chooseItem(c));
    }

    private void recommendationWidget() {
        String recommendationId = Ids.hex("rec-", rnd);
        ShopEvent impression = event(EventType.IMPRESSION);
        impression.setRecommendationId(recommendationId);
        emit(impression, 1_500);
        if (rnd.nextDouble() < 0.25) {
            int item = catalog.relatedItem(currentItem, rnd);
            ShopEvent click = event(EventType.CLICK);
            click.setRecommendationId(recommendationId);
            click.setItemId(catalog.itemId(item));
            emit(click, 400);
            viewProduct(item);
        }
    }

    private void viewProduct(int item) {
        int c = catalog.categoryOf(item);
        currentItem = item;
        currentCategory = c;
        if (viewedCount < viewed.length) viewed[viewedCount++] = item;
        double price = prices.price(item);
        double list = prices.listPrice(item);
        ShopEvent e = event(EventType.PRODUCT_VIEW);
        e.setItemId(catalog.itemId(item));
        e.setCategoryId(catalog.categoryId(c));
        e.setBrand(catalog.brandName(catalog.brandOf(item)));
        e.setPrice(price);
        e.setListPrice(list);
        emit(e, 20_000);
        boolean discounted = list > price + 1e-9;
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
        int slot = -1;
        for (int k = 0; k < cartSize; k++) {
            if (cart[k] == item) slot = k;
        }
        if (slot < 0) {
            if (cartSize == cart.length) return;
            slot = cartSize++;
            cart[slot] = item;
            cartQuantity[slot] = 0;
        }
        cartQuantity[slot] += quantity;
        ShopEvent e = event(EventType.ADD_TO_CART);
        e.setItemId(catalog.itemId(item));
        e.setQuantity(quantity);
        e.setPrice(prices.price(item));
        e.setCategoryId(catalog.categoryId(catalog.categoryOf(item)));
        emit(e, 6_000);
    }

    private void removeFromCart() {
        int slot = rnd.nextInt(cartSize);
        int item = cart[slot];
        ShopEvent e = event(EventType.REMOVE_FROM_CART);
        e.setItemId(catalog.itemId(item));
        e.setQuantity(cartQuantity[slot]);
        e.setPrice(prices.price(item));
        e.setCategoryId(catalog.categoryId(catalog.categoryOf(item)));
        cart[slot] = cart[cartSize - 1];
        cartQuantity[slot] = cartQuantity[cartSize - 1];
        cartSize--;
        emit(e, 4_000);
    }

    private void login() {
        if (linkedCustomerId == null || customerId != null) return;
        customerId = linkedCustomerId;
        ShopEvent e = event(EventType.LOGIN);
        emit(e, 5_000);
    }

    private void checkout() {
        double checkoutShare = intent == Intent.BUY ? 0.8 : 0.2;
        if (rnd.nextDouble() >= checkoutShare) return; // cart abandoned before checkout
        if (customerId == null && linkedCustomerId != null && rnd.nextDouble() < 0.85) login();
        pageView("cart", "/cart");
        double subtotal = 0;
        List<OrderLine> lines = new ArrayList<>(cartSize);
        for (int k = 0; k < cartSize; k++) {
            int item = cart[k];
            double price = prices.price(item);
            subtotal += price * cartQuantity[k];
            lines.add(
                    new OrderLine(
                            catalog.itemId(item),
                            catalog.categoryId(catalog.categoryOf(item)),
                            cartQuantity[k],
                            price,
                            prices.listPrice(item)));
        }
        subtotal = cents(subtotal);
        ShopEvent start = event(EventType.CHECKOUT_START);
        start.setCartTotal(subtotal);
        emit(start, 30_000);
        pageView("checkout", "/checkout");

        boolean coupon = rnd.nextDouble() < (traits.priceSensitive() ? 0.4 : 0.06);
        double orderShare = traits.priceSensitive() ? (coupon ? 0.7 : 0.35) : 0.8;
        if (rnd.nextDouble() >= orderShare) return; // left when the total appeared
        ShopEvent order = event(EventType.ORDER_PLACED);
        order.setOrderId(Ids.hex("o-", rnd));
        order.setLines(lines);
        double discount = 0;
        if (coupon) {
            int k = rnd.nextInt(COUPONS.length);
            order.setCouponCode(COUPONS[k]);
            discount = cents(subtotal * COUPON_RATES[k]);
            order.setDiscountTotal(discount);
        }
        order.setTotal(cents(subtotal - discount));
        order.setCurrency(CURRENCY);
        emit(order, 8_000);
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

    // ---- events

    private ShopEvent event(EventType type) {
        ShopEvent e = new ShopEvent();
        e.setEventId(Ids.uuid(rnd));
        e.setType(type);
        e.setTimestamp(Instant.ofEpochMilli(t));
        e.setSessionId(sessionId);
        e.setCustomerId(customerId);
        e.setAnonymousId(anonymousId);
        return e;
    }

    private void pageView(String pageType, String url) {
        ShopEvent e = event(EventType.PAGE_VIEW);
        e.setPageType(pageType);
        e.setUrl(url);
        emit(e, 7_000);
    }

    /** Appends the event, then lets a log-normal think time around {@code medianGapMillis} pass. */
    private void emit(ShopEvent e, long medianGapMillis) {
        out.add(e);
        double gap = medianGapMillis * Math.exp(0.7 * rnd.nextGaussian());
        t += Math.max(200, Math.min(600_000, (long) gap));
    }

    private int geometric(double mean) {
        return (int) (-Math.log(1 - rnd.nextDouble()) * mean);
    }

    private String typo(String term) {
        if (term.length() < 4) return term + "zz";
        int at = 1 + rnd.nextInt(term.length() - 2);
        return term.substring(0, at) + term.substring(at + 1) + "x";
    }

    static double cents(double amount) {
        return Math.round(amount * 100) / 100.0;
    }
}

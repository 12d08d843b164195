package io.shopkeeper.launcher.simulator;

import java.util.SplittableRandom;

/**
 * The current price, list price and stock of every item for one event stream: starts as the catalog
 * and changes when the stream emits a price or stock change, so later views and orders see the new
 * price.
 */
final class PriceBook {
    private static final double[] DISCOUNTS = {0.10, 0.15, 0.20, 0.25, 0.30, 0.40};

    private final double[] price;
    private final double[] listPrice;
    private final boolean[] inStock;

    PriceBook(SimulatedCatalog catalog) {
        int n = catalog.size();
        price = new double[n];
        listPrice = new double[n];
        inStock = new boolean[n];
        for (int i = 0; i < n; i++) {
            price[i] = catalog.price(i);
            listPrice[i] = catalog.listPrice(i);
            inStock[i] = catalog.inStock(i);
        }
    }

    double price(int item) {
        return price[item];
    }

    double listPrice(int item) {
        return listPrice[item];
    }

    boolean inStock(int item) {
        return inStock[item];
    }

    /** Starts or ends a discount, or flips stock, of {@code item}. */
    void change(int item, SplittableRandom rnd) {
        double r = rnd.nextDouble();
        if (r < 0.2) {
            inStock[item] = !inStock[item];
        } else if (listPrice[item] > price[item] + 1e-9 && r < 0.6) {
            price[item] = listPrice[item]; // discount ends
        } else {
            price[item] =
                    SimulatedCatalog.discounted(
                            listPrice[item],
                            DISCOUNTS[rnd.nextInt(DISCOUNTS.length)]); // price drop
        }
    }
}

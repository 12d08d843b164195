package io.shopkeeper.launcher.simulator;

import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The simulated store's catalog: items with a category, a brand, a log-normal price around their
 * category's price level, a list price (above the price when the item is on discount) and stock.
 * Immutable and held in parallel arrays, so 100k items cost a few megabytes.
 *
 * <p>Inside a category items have a popularity rank (Zipf-like) and sit in small clusters of
 * related items ({@link #CLUSTER_SIZE} consecutive ranks); visitors browse within a cluster, which
 * is what makes item-to-item co-occurrence learnable.
 */
public final class SimulatedCatalog {
    /** Items of one category with consecutive popularity ranks that visitors browse together. */
    public static final int CLUSTER_SIZE = 6;

    /** One item's catalog facts. */
    public record Item(
            String itemId,
            String title,
            String categoryId,
            String brand,
            double price,
            double listPrice,
            boolean inStock) {
        public boolean onDiscount() {
            return listPrice > price + 1e-9;
        }
    }

    private static final String[][] CATEGORY_TABLE = {
        // name, median price, nouns, search terms
        {"Smartphones", "420", "Smartphone|Phone", "smartphone|phone|5g phone|android phone"},
        {"Phone Cases", "18", "Case|Cover", "phone case|cover|rugged case"},
        {"Laptops", "950", "Laptop|Notebook|Ultrabook", "laptop|notebook|gaming laptop"},
        {"Headphones", "85", "Headphones|Earbuds", "headphones|earbuds|noise cancelling"},
        {"Televisions", "640", "TV|Smart TV", "tv|4k tv|oled"},
        {"Cameras", "520", "Camera|Mirrorless Camera", "camera|mirrorless|vlog camera"},
        {"Memory Cards", "22", "SD Card|microSD Card", "sd card|memory card|microsd"},
        {"Running Shoes", "95", "Running Shoe|Trail Shoe", "running shoes|trail shoes|marathon"},
        {"Sneakers", "80", "Sneaker|Trainer", "sneakers|trainers|white sneakers"},
        {"T-Shirts", "22", "T-Shirt|Tee", "t-shirt|tee|organic cotton"},
        {"Jeans", "60", "Jeans|Slim Jeans", "jeans|slim jeans|denim"},
        {"Dresses", "70", "Dress|Maxi Dress", "dress|summer dress|maxi dress"},
        {"Jackets", "130", "Jacket|Parka|Rain Jacket", "jacket|rain jacket|parka"},
        {"Handbags", "90", "Handbag|Tote", "handbag|tote|leather bag"},
        {"Watches", "160", "Watch|Chronograph", "watch|chronograph|smartwatch"},
        {"Sunglasses", "75", "Sunglasses|Aviators", "sunglasses|polarized|aviators"},
        {
            "Coffee Machines",
            "210",
            "Espresso Machine|Coffee Maker",
            "espresso machine|coffee maker|bean to cup"
        },
        {"Coffee Beans", "14", "Coffee Beans|Espresso Roast", "coffee beans|espresso beans|decaf"},
        {"Cookware", "55", "Pan|Pot|Skillet", "frying pan|pot|cast iron"},
        {"Kitchen Knives", "45", "Chef Knife|Knife Set", "chef knife|knife set|santoku"},
        {"Bedding", "65", "Duvet Cover|Sheet Set", "duvet cover|bed sheets|linen bedding"},
        {"Lamps", "48", "Lamp|Floor Lamp", "lamp|floor lamp|desk lamp"},
        {"Sofas", "780", "Sofa|Couch", "sofa|couch|corner sofa"},
        {"Toys", "28", "Toy|Building Set", "toys|building blocks|plush"},
        {"Board Games", "35", "Board Game|Card Game", "board game|card game|strategy game"},
        {"Books", "16", "Novel|Cookbook|Guide", "novel|cookbook|travel guide"},
        {"Skincare", "24", "Moisturiser|Serum", "moisturiser|serum|sunscreen"},
        {"Perfume", "62", "Eau de Parfum|Eau de Toilette", "perfume|eau de parfum|fragrance"},
        {"Bicycles", "690", "Bike|E-Bike|Gravel Bike", "bike|e-bike|gravel bike"},
        {"Cycling Helmets", "70", "Helmet|MIPS Helmet", "bike helmet|cycling helmet|mips"},
    };

    /** Pairs of categories bought together (phone and case, camera and memory card, ...). */
    private static final int[][] COMPLEMENTS = {
        {0, 1}, {5, 6}, {16, 17}, {28, 29}, {18, 19}, {23, 24}, {2, 3}, {7, 9}
    };

    private static final String[] BRAND_NAMES = {
        "Nordvik", "Altura", "Brightwell", "Cobalt", "Duna", "Everline", "Fjell", "Granite",
                "Halcyon", "Ionis",
        "Juniper", "Kestrel", "Lumen", "Marlowe", "Novato", "Orbis", "Pellucid", "Quill", "Rivet",
                "Solace",
        "Tundra", "Umbra", "Vela", "Wren", "Xylo", "Yarrow", "Zephyr", "Aster", "Bramble", "Cinder",
        "Delta Nine", "Ember", "Foxglove", "Gale", "Harbor", "Indigo", "Jasper", "Kite", "Loom",
                "Mesa"
    };
    private static final String[] ADJECTIVES = {
        "Classic",
        "Pro",
        "Lite",
        "Max",
        "Essential",
        "Urban",
        "Air",
        "Prime",
        "Studio",
        "Sport",
        "Eco",
        "Plus",
        "Mini",
        "Ultra",
        "Core",
        "Edge"
    };
    private static final double[] DISCOUNTS = {0.10, 0.15, 0.20, 0.20, 0.25, 0.30, 0.40, 0.50};

    private final String[] categoryIds;
    private final String[] categoryNames;
    private final double[] categoryMedianPrice;
    private final String[][] categorySearchTerms;
    private final int[] complementOf;
    private final String[] brandNames;

    private final String[] itemIds;
    private final String[] titles;
    private final int[] category;
    private final int[] brand;
    private final double[] price;
    private final double[] listPrice;
    private final boolean[] inStock;
    private final int[][] itemsByCategory;
    private final int[] rankInCategory;
    private final Weighted categoryPopularity;
    private final Weighted[] popularityInCategory;

    /** Generates the catalog of {@code config}; the same config gives the same catalog. */
    public static SimulatedCatalog generate(SimulatorConfig config) {
        return new SimulatedCatalog(config);
    }

    private SimulatedCatalog(SimulatorConfig config) {
        SplittableRandom rnd = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + 17);
        int nc = config.categories();
        categoryIds = new String[nc];
        categoryNames = new String[nc];
        categoryMedianPrice = new double[nc];
        categorySearchTerms = new String[nc][];
        String[][] nouns = new String[nc][];
        for (int c = 0; c < nc; c++) {
            categoryIds[c] = String.format(Locale.ROOT, nc > 99 ? "c%03d" : "c%02d", c);
            if (c < CATEGORY_TABLE.length) {
                categoryNames[c] = CATEGORY_TABLE[c][0];
                categoryMedianPrice[c] = Double.parseDouble(CATEGORY_TABLE[c][1]);
                nouns[c] = CATEGORY_TABLE[c][2].split("\\|");
                categorySearchTerms[c] = CATEGORY_TABLE[c][3].split("\\|");
            } else {
                categoryNames[c] = "Category " + c;
                categoryMedianPrice[c] = Math.round(10 * Math.exp(rnd.nextDouble() * 4.5));
                nouns[c] = new String[] {"Product", "Item"};
                categorySearchTerms[c] = new String[] {"category " + c, "product " + c};
            }
        }
        complementOf = new int[nc];
        java.util.Arrays.fill(complementOf, -1);
        for (int[] pair : COMPLEMENTS) {
            if (pair[0] < nc && pair[1] < nc) {
                complementOf[pair[0]] = pair[1];
                complementOf[pair[1]] = pair[0];
            }
        }
        brandNames = new String[config.brands()];
        for (int b = 0; b < brandNames.length; b++) {
            brandNames[b] = b < BRAND_NAMES.length ? BRAND_NAMES[b] : "Brand " + b;
        }
        double[] brandPremium = new double[brandNames.length];
        for (int b = 0; b < brandPremium.length; b++) {
            brandPremium[b] = Math.exp(rnd.nextGaussian() * 0.25);
        }

        // Each category sells a handful of brands, the first ones more than the rest.
        int brandsPerCategory = Math.min(brandNames.length, 8);
        int[][] categoryBrands = new int[nc][brandsPerCategory];
        for (int c = 0; c < nc; c++) {
            for (int k = 0; k < brandsPerCategory; k++) {
                categoryBrands[c][k] =
                        Math.floorMod(c * 7 + k * 13 + rnd.nextInt(3), brandNames.length);
            }
        }
        Weighted brandInCategory = Weighted.zipf(brandsPerCategory, 1.0);

        // Every category gets at least one item; the rest follow category popularity.
        categoryPopularity = Weighted.zipf(nc, 0.8);
        int n = config.items();
        itemIds = new String[n];
        titles = new String[n];
        category = new int[n];
        brand = new int[n];
        price = new double[n];
        listPrice = new double[n];
        inStock = new boolean[n];
        int[] sizes = new int[nc];
        for (int i = 0; i < n; i++) {
            int c = i < nc ? i : categoryPopularity.sample(rnd);
            category[i] = c;
            sizes[c]++;
        }
        itemsByCategory = new int[nc][];
        for (int c = 0; c < nc; c++) {
            itemsByCategory[c] = new int[sizes[c]];
        }
        rankInCategory = new int[n];
        int[] fill = new int[nc];
        for (int i = 0; i < n; i++) {
            int c = category[i];
            rankInCategory[i] = fill[c];
            itemsByCategory[c][fill[c]++] = i;
        }
        popularityInCategory = new Weighted[nc];
        for (int c = 0; c < nc; c++) {
            popularityInCategory[c] = Weighted.zipf(sizes[c], 0.9);
        }

        for (int i = 0; i < n; i++) {
            int c = category[i];
            int b = categoryBrands[c][brandInCategory.sample(rnd)];
            brand[i] = b;
            itemIds[i] = "i" + (i + 1);
            String noun = nouns[c][rnd.nextInt(nouns[c].length)];
            titles[i] =
                    brandNames[b]
                            + " "
                            + ADJECTIVES[rnd.nextInt(ADJECTIVES.length)]
                            + " "
                            + noun
                            + " "
                            + (100 + rnd.nextInt(900));
            double p =
                    categoryMedianPrice[c] * brandPremium[b] * Math.exp(rnd.nextGaussian() * 0.5);
            double list = shelfPrice(p);
            listPrice[i] = list;
            price[i] =
                    rnd.nextDouble() < 0.22
                            ? discounted(list, DISCOUNTS[rnd.nextInt(DISCOUNTS.length)])
                            : list;
            inStock[i] = rnd.nextDouble() < 0.95;
        }
    }

    /** A price as a shop writes it: x.99 above 5, whole cents below. */
    static double shelfPrice(double p) {
        if (p < 5) return Math.max(0.49, Math.round(p * 100) / 100.0);
        return Math.floor(p) + 0.99;
    }

    /**
     * The price after {@code discount} off {@code list}, in cents, strictly below the list price.
     */
    static double discounted(double list, double discount) {
        double p = Math.round(list * (1 - discount) * 100) / 100.0;
        return Math.min(p, Math.round((list - 0.01) * 100) / 100.0);
    }

    public int size() {
        return itemIds.length;
    }

    public int categoryCount() {
        return categoryIds.length;
    }

    public Item item(int index) {
        return new Item(
                itemIds[index],
                titles[index],
                categoryIds[category[index]],
                brandNames[brand[index]],
                price[index],
                listPrice[index],
                inStock[index]);
    }

    /** Every item, in index order (allocates; for small catalogs and tests). */
    public List<Item> items() {
        List<Item> all = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            all.add(item(i));
        }
        return all;
    }

    /** One {@code item_update} event per item carrying its full facts, stamped {@code at}. */
    public List<ShopEvent> itemUpdates(Instant at) {
        SplittableRandom ids = new SplittableRandom(itemIds.length * 31L + at.toEpochMilli());
        List<ShopEvent> events = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            events.add(itemUpdate(i, price[i], listPrice[i], inStock[i], at, Ids.uuid(ids)));
        }
        return events;
    }

    /** The catalog as {@code item_update} events stamped now. */
    public List<ShopEvent> itemUpdates() {
        return itemUpdates(Instant.now());
    }

    ShopEvent itemUpdate(int i, double p, double list, boolean stock, Instant at, String eventId) {
        ShopEvent e = new ShopEvent();
        e.setEventId(eventId);
        e.setType(EventType.ITEM_UPDATE);
        e.setTimestamp(at);
        e.setItemId(itemIds[i]);
        e.setTitle(titles[i]);
        e.setCategoryId(categoryIds[category[i]]);
        e.setBrand(brandNames[brand[i]]);
        e.setPrice(p);
        e.setListPrice(list);
        e.setInStock(stock);
        return e;
    }

    // Allocation-free access for the simulated storefronts.
    String itemId(int i) {
        return itemIds[i];
    }

    int categoryOf(int i) {
        return category[i];
    }

    int brandOf(int i) {
        return brand[i];
    }

    String brandName(int b) {
        return brandNames[b];
    }

    int brandCount() {
        return brandNames.length;
    }

    public double price(int i) {
        return price[i];
    }

    public double listPrice(int i) {
        return listPrice[i];
    }

    boolean inStock(int i) {
        return inStock[i];
    }

    String categoryId(int c) {
        return categoryIds[c];
    }

    String categoryName(int c) {
        return categoryNames[c];
    }

    String[] searchTerms(int c) {
        return categorySearchTerms[c];
    }

    int complementOf(int c) {
        return complementOf[c];
    }

    public int categorySize(int c) {
        return itemsByCategory[c].length;
    }

    public int itemAt(int c, int rank) {
        return itemsByCategory[c][rank];
    }

    int rankOf(int i) {
        return rankInCategory[i];
    }

    Weighted categoryPopularity() {
        return categoryPopularity;
    }

    /** A popular item of category {@code c}, by Zipf-like rank. */
    int popularItem(int c, SplittableRandom rnd) {
        return itemsByCategory[c][popularityInCategory[c].sample(rnd)];
    }

    /**
     * An item related to {@code i}: mostly from its cluster, sometimes from the neighbouring one.
     */
    int relatedItem(int i, SplittableRandom rnd) {
        int c = category[i];
        int size = itemsByCategory[c].length;
        if (size == 1) return i;
        int rank = rankInCategory[i];
        int clusterStart = rank - rank % CLUSTER_SIZE;
        int r;
        if (rnd.nextDouble() < 0.8) {
            r = clusterStart + rnd.nextInt(CLUSTER_SIZE);
        } else {
            r = clusterStart + CLUSTER_SIZE + rnd.nextInt(CLUSTER_SIZE);
        }
        if (r >= size) r = rnd.nextInt(size);
        if (r == rank) r = (rank + 1) % size;
        return itemsByCategory[c][r];
    }
}

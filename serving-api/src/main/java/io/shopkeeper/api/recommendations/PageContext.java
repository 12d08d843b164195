package io.shopkeeper.api.recommendations;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Where on the storefront the recommendations will be shown; steers how sources are blended. */
public enum PageContext {
    HOME,
    PRODUCT,
    CART,
    SEARCH;

    private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    /** The context with this wire name, or {@code null} when there is none. */
    public static PageContext fromWireName(String name) {
        for (PageContext c : values()) {
            if (c.wireName.equals(name)) return c;
        }
        return null;
    }

    public static String wireNames() {
        return Arrays.stream(values()).map(PageContext::wireName).collect(Collectors.joining(", "));
    }
}

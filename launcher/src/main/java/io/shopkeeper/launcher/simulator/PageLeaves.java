package io.shopkeeper.launcher.simulator;

import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.ShopEvent;

/**
 * How the simulated storefronts send the {@code page_leave} beacon at the end of a session: shared
 * by the traffic simulator and the planted personas, so both lose beacons at the same rate.
 */
public final class PageLeaves {
    /** Share of sessions whose page_leave beacon reaches the store (browsers drop some). */
    public static final double DELIVERED = 0.8;

    private PageLeaves() {}

    /**
     * Names on {@code leave} the page the visitor is leaving, as the session's last event {@code
     * last} showed it.
     */
    public static ShopEvent describe(ShopEvent leave, ShopEvent last) {
        if (last.getType() == EventType.PRODUCT_VIEW) {
            leave.setPageType("product");
            leave.setItemId(last.getItemId());
        } else if (last.getType() == EventType.PAGE_VIEW) {
            leave.setPageType(last.getPageType());
        }
        return leave;
    }
}

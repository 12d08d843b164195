package io.shopkeeper.jobs.visitor;

import io.shopkeeper.jobs.recommend.ItemNeighbours;

import java.util.HashMap;
import java.util.Map;

/** The neighbours last received for each item of a visitor's current session (bounded by the session). */
public class NeighbourCache {
    private Map<String, ItemNeighbours> byItem = new HashMap<>();

    public NeighbourCache() {
    }

    public Map<String, ItemNeighbours> getByItem() { return byItem; }
    public void setByItem(Map<String, ItemNeighbours> byItem) { this.byItem = byItem; }
}

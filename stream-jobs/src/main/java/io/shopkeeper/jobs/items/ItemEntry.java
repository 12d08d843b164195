package io.shopkeeper.jobs.items;

import io.shopkeeper.jobs.recommend.ItemModel;
import io.shopkeeper.jobs.recommend.ItemNeighbours;

/**
 * What {@link ItemModelOperator} holds for one item, found by one lookup of its id: the cached
 * model, when it last changed, its top neighbours computed for a reply while a change waits to be
 * published, when it was last published, and its place in each of the operator's orders (the
 * cache's least recently used first, the changes not written back, the changes not published, those
 * waiting for their refresh interval, the recent publications). Each order is a doubly linked list
 * through the entries' own fields ({@link Order}): joining, leaving and moving to the end take no
 * lookup and no allocation.
 */
final class ItemEntry {
    static final int CACHE = 0;
    static final int DIRTY = 1;
    static final int UNPUBLISHED = 2;
    static final int WAITING = 3;
    static final int PUBLISHED = 4;

    final String itemId;

    /** The cached model; null when not in the cache. */
    ItemModel model;

    /** When the model last changed (processing time), while in the dirty order. */
    long changedAt;

    /** The item's list computed on the model as it is now, while unpublished; else null. */
    ItemNeighbours unpublishedTop;

    /** As {@link #unpublishedTop}, while waiting for the refresh interval. */
    ItemNeighbours waitingTop;

    /** When the item was last published (processing time), while in the published order. */
    long publishedAt;

    // the links of each order, null when not in it
    private ItemEntry cachePrev, cacheNext;
    private ItemEntry dirtyPrev, dirtyNext;
    private ItemEntry unpublishedPrev, unpublishedNext;
    private ItemEntry waitingPrev, waitingNext;
    private ItemEntry publishedPrev, publishedNext;

    ItemEntry(String itemId) {
        this.itemId = itemId;
    }

    /** Whether the entry is in none of the orders (the operator then forgets it). */
    boolean inNoOrder() {
        return cacheNext == null
                && dirtyNext == null
                && unpublishedNext == null
                && waitingNext == null
                && publishedNext == null;
    }

    private ItemEntry prev(int order) {
        return switch (order) {
            case CACHE -> cachePrev;
            case DIRTY -> dirtyPrev;
            case UNPUBLISHED -> unpublishedPrev;
            case WAITING -> waitingPrev;
            default -> publishedPrev;
        };
    }

    private ItemEntry next(int order) {
        return switch (order) {
            case CACHE -> cacheNext;
            case DIRTY -> dirtyNext;
            case UNPUBLISHED -> unpublishedNext;
            case WAITING -> waitingNext;
            default -> publishedNext;
        };
    }

    private void link(int order, ItemEntry prev, ItemEntry next) {
        switch (order) {
            case CACHE -> {
                cachePrev = prev;
                cacheNext = next;
            }
            case DIRTY -> {
                dirtyPrev = prev;
                dirtyNext = next;
            }
            case UNPUBLISHED -> {
                unpublishedPrev = prev;
                unpublishedNext = next;
            }
            case WAITING -> {
                waitingPrev = prev;
                waitingNext = next;
            }
            default -> {
                publishedPrev = prev;
                publishedNext = next;
            }
        }
    }

    private void setPrev(int order, ItemEntry prev) {
        link(order, prev, next(order));
    }

    private void setNext(int order, ItemEntry next) {
        link(order, prev(order), next);
    }

    /**
     * One order of entries, first to last: a circular list through the entries' links of that order
     * around a head that is no item's entry.
     */
    static final class Order {
        private final int order;
        private final ItemEntry head = new ItemEntry(null);
        private int size;

        Order(int order) {
            if (order < CACHE || order > PUBLISHED) throw new IllegalArgumentException("" + order);
            this.order = order;
            head.link(order, head, head);
        }

        int size() {
            return size;
        }

        boolean contains(ItemEntry entry) {
            return entry.next(order) != null;
        }

        /** The first entry, null when empty. */
        ItemEntry first() {
            ItemEntry first = head.next(order);
            return first == head ? null : first;
        }

        /** The entry after {@code entry} (which is in the order), null after the last. */
        ItemEntry next(ItemEntry entry) {
            ItemEntry next = entry.next(order);
            return next == head ? null : next;
        }

        /** Adds an entry not in the order at its end. */
        void addLast(ItemEntry entry) {
            if (contains(entry)) throw new IllegalStateException(entry.itemId + " already in");
            ItemEntry last = head.prev(order);
            entry.link(order, last, head);
            last.setNext(order, entry);
            head.setPrev(order, entry);
            size++;
        }

        /** Takes an entry out of the order. */
        void remove(ItemEntry entry) {
            ItemEntry prev = entry.prev(order), next = entry.next(order);
            if (next == null) throw new IllegalStateException(entry.itemId + " not in");
            prev.setNext(order, next);
            next.setPrev(order, prev);
            entry.link(order, null, null);
            size--;
        }

        /** Moves an entry in the order to its end. */
        void moveToEnd(ItemEntry entry) {
            if (head.prev(order) == entry) return;
            remove(entry);
            addLast(entry);
        }
    }
}

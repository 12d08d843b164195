package io.shopkeeper.jobs.ordering;

/**
 * Every {@link EventTimeOrderHarnessTest} with room for one held event on the heap: the first event
 * held waits there, the others in RocksDB, so each rule holds with a visitor's events split between
 * the two (and {@code --ordering.heap-events} 0 keeps them all in RocksDB, as before the heap).
 */
class EventTimeOrderSpillingHarnessTest extends EventTimeOrderHarnessTest {
    @Override
    int heapEvents() {
        return 1;
    }
}

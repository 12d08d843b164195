package io.shopkeeper.jobs.offers;

/**
 * {@link OfferDecisionHarnessTest} with room for one visitor's state on the heap: every other
 * visitor's is written to the state when evicted, and read back at their next step.
 */
class OfferDecisionEvictingHarnessTest extends OfferDecisionHarnessTest {
    @Override
    int cacheSize() {
        return 1;
    }
}

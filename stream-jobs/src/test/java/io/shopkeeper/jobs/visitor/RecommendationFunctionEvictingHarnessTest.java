package io.shopkeeper.jobs.visitor;

import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.jobs.types.WriteBackCoProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;

/**
 * {@link RecommendationFunctionHarnessTest} with room for one visitor on the heap: every other
 * visitor's bookkeeping is written to the state when it is evicted.
 */
class RecommendationFunctionEvictingHarnessTest extends RecommendationFunctionHarnessTest {
    @Override
    KeyedCoProcessOperator<String, NeighboursReply, ForgetVisitor, RedisWrite> operator(
            RecommendationFunction function) {
        return new WriteBackCoProcessOperator<>(function.withCacheSize(1));
    }
}

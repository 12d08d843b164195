package io.shopkeeper.jobs.visitor;

import io.shopkeeper.jobs.sink.RedisWrite;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;

/**
 * {@link RecommendationFunctionHarnessTest} with the function run by Flink's own operator, which
 * never asks it to write back: every state is written through.
 */
class RecommendationFunctionWriteThroughHarnessTest extends RecommendationFunctionHarnessTest {
    @Override
    KeyedCoProcessOperator<String, NeighboursReply, ForgetVisitor, RedisWrite> operator(
            RecommendationFunction function) {
        return new KeyedCoProcessOperator<>(function);
    }
}

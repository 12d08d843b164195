package io.shopkeeper.jobs.visitor;

import io.shopkeeper.jobs.sink.RedisWrite;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;

/**
 * {@link RecommendationCoalesceHarnessTest} with the function run by Flink's own operator, which
 * never asks it to write back: a pending ranking is written to the state with every reply.
 */
class RecommendationCoalesceWriteThroughHarnessTest extends RecommendationCoalesceHarnessTest {
    @Override
    KeyedCoProcessOperator<String, NeighboursReply, ForgetVisitor, RedisWrite> operator(
            RecommendationFunction function) {
        return new KeyedCoProcessOperator<>(function);
    }

    @Override
    boolean writesBack() {
        return false;
    }
}

package io.shopkeeper.jobs;

import static io.shopkeeper.jobs.testing.ShopEvents.line;
import static io.shopkeeper.jobs.testing.ShopEvents.ordered;
import static io.shopkeeper.jobs.testing.ShopEvents.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.ingest.DecodedRecord;
import io.shopkeeper.jobs.items.ItemMessage;
import io.shopkeeper.jobs.profile.CustomerProfile;
import io.shopkeeper.jobs.recommend.ItemModel;
import io.shopkeeper.jobs.recommend.ItemNeighbours;
import io.shopkeeper.jobs.recommend.ItemUpdate;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.jobs.trending.ItemInteraction;
import io.shopkeeper.jobs.visitor.NeighboursReply;
import io.shopkeeper.jobs.visitor.RankingRequest;
import io.shopkeeper.schemas.DeadLetter;
import io.shopkeeper.schemas.ItemInfo;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.ScoredItem;
import io.shopkeeper.schemas.ShopEvent;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every type that crosses an operator boundary or lives in state is a Flink POJO, serialized by
 * Flink's own serializers: with generic types disabled (as the job runs), creating the serializer
 * would fail if any field fell back to Kryo.
 */
class FlinkTypesTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            classes = {
                ShopEvent.class,
                DecodedRecord.class,
                DeadLetter.class,
                CustomerProfile.class,
                RedisWrite.class,
                ItemMessage.class,
                ItemUpdate.class,
                ItemModel.class,
                ItemNeighbours.class,
                RankingRequest.class,
                NeighboursReply.class,
                io.shopkeeper.jobs.visitor.ForgetVisitor.class,
                io.shopkeeper.schemas.ProfileDocument.class,
                io.shopkeeper.schemas.ProfileDocument.Signal.class,
                ItemInteraction.class,
                RecommendationList.class,
                ScoredItem.class,
                ItemInfo.class,
                io.shopkeeper.jobs.identity.VisitorEvent.class,
                io.shopkeeper.jobs.rfm.CustomerValue.class,
                io.shopkeeper.jobs.rfm.CustomerValueChange.class,
                io.shopkeeper.jobs.rfm.RfmCutPoints.class,
                io.shopkeeper.jobs.segments.SegmentChange.class,
                io.shopkeeper.jobs.signals.SignalState.class,
                io.shopkeeper.jobs.signals.SignalEvidence.class,
                io.shopkeeper.jobs.items.CoPurchase.class,
                io.shopkeeper.jobs.items.CoPurchaseCounts.class,
                io.shopkeeper.jobs.profile.ProfileUpdate.class,
                io.shopkeeper.jobs.census.CensusChange.class
            })
    void isAPojoSerializedWithoutKryo(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        assertThat(info.createSerializer(config)).isNotNull();
    }

    @org.junit.jupiter.api.Test
    void anOrderRoundTripsThroughItsFlinkSerializer() throws Exception {
        ShopEvent order = ordered("cust-1", "s1", "o1", seconds(3), line("i1", "c1", 2, 9.5));
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<ShopEvent> serializer =
                TypeInformation.of(ShopEvent.class).createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(order, out);
        ShopEvent copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(copy).isEqualTo(order);
    }
}

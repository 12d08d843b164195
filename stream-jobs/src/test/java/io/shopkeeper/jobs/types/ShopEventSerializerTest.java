package io.shopkeeper.jobs.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.identity.VisitorEvent;
import io.shopkeeper.jobs.identity.VisitorEventSerializer;
import io.shopkeeper.jobs.ordering.HeldEvent;
import io.shopkeeper.jobs.ordering.HeldEventSerializer;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.OrderLine;
import io.shopkeeper.schemas.ShopEvent;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The visitor events' hand-written serializers ({@link ShopEventSerializer}, {@link
 * VisitorEventSerializer}, {@link HeldEventSerializer}): every field of {@code ShopEvent} and
 * {@code OrderLine} (found by reflection, so a new field not written fails here) set to random
 * values or left null, each kind of visitor event, and the serializers Flink picks for the types.
 */
class ShopEventSerializerTest {
    private static final SerializerConfigImpl NO_KRYO = new SerializerConfigImpl();

    static {
        NO_KRYO.setGenericTypes(false);
    }

    @Test
    void everyFieldOfAnEventSurvivesPresentOrAbsent() throws Exception {
        Random random = new Random(3);
        for (int i = 0; i < 2_000; i++) {
            ShopEvent event = fill(new ShopEvent(), random, i % 4 == 0 ? 2 : 8);
            ShopEvent copy = roundTrip(ShopEventSerializer.INSTANCE, event);
            assertThat(copy).usingRecursiveComparison().isEqualTo(event);
            assertThat(copy).isEqualTo(event);
        }
        assertThat(roundTrip(ShopEventSerializer.INSTANCE, new ShopEvent()))
                .usingRecursiveComparison()
                .isEqualTo(new ShopEvent());
    }

    @Test
    void visitorEventsOfEveryKindAndHeldEventsRoundTripThroughTheTypesFlinkPicks()
            throws Exception {
        TypeSerializer<VisitorEvent> visitors =
                TypeInformation.of(VisitorEvent.class).createSerializer(NO_KRYO);
        TypeSerializer<HeldEvent> held =
                TypeInformation.of(HeldEvent.class).createSerializer(NO_KRYO);
        assertThat(visitors).isInstanceOf(VisitorEventSerializer.class);
        assertThat(held).isInstanceOf(HeldEventSerializer.class);

        Random random = new Random(9);
        ShopEvent event = fill(new ShopEvent(), random, 100);
        List<VisitorEvent> kinds =
                List.of(
                        VisitorEvent.live("cust-1", event),
                        VisitorEvent.replay("cust-1", event),
                        VisitorEvent.mergedAway("anon-1", "cust-1", event),
                        new VisitorEvent());
        for (VisitorEvent v : kinds) {
            assertThat(roundTrip(visitors, v)).usingRecursiveComparison().isEqualTo(v);
            HeldEvent h = new HeldEvent(event.eventTimeMillis(), random.nextLong(), v);
            assertThat(roundTrip(held, h)).usingRecursiveComparison().isEqualTo(h);
        }
        HeldEvent empty = new HeldEvent(1L, 2L, null);
        assertThat(roundTrip(held, empty)).usingRecursiveComparison().isEqualTo(empty);
    }

    @Test
    void theSerializersRestoreFromTheirSnapshots() {
        for (TypeSerializer<?> serializer :
                List.of(
                        ShopEventSerializer.INSTANCE,
                        VisitorEventSerializer.INSTANCE,
                        HeldEventSerializer.INSTANCE)) {
            TypeSerializerSnapshot<?> snapshot = serializer.snapshotConfiguration();
            assertThat(snapshot.restoreSerializer()).isSameAs(serializer);
        }
    }

    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T copy = serializer.deserialize(in);
        assertThat(in.available()).as("every byte read").isZero();
        return copy;
    }

    /**
     * Every non-static field of {@code target} set, one in {@code absentOneIn} left null (boxed,
     * object and list fields).
     */
    private static <T> T fill(T target, Random random, int absentOneIn) throws Exception {
        for (Field field : target.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) continue;
            field.setAccessible(true);
            field.set(target, value(field, random, absentOneIn));
        }
        return target;
    }

    private static Object value(Field field, Random random, int absentOneIn) throws Exception {
        Class<?> type = field.getType();
        if (type == int.class) return random.nextInt();
        if (type == double.class) return random.nextDouble() * 1000 - 500;
        if (random.nextInt(absentOneIn) == 0) return null;
        if (type == String.class)
            return random.nextInt(10) == 0 ? "" : "v\u00e9" + random.nextInt();
        if (type == Double.class) return random.nextDouble() * 1000;
        if (type == Integer.class) return random.nextInt();
        if (type == Boolean.class) return random.nextBoolean();
        if (type == EventType.class)
            return EventType.values()[random.nextInt(EventType.values().length)];
        if (type == Instant.class)
            return Instant.ofEpochSecond(
                    random.nextInt(2_000_000_000) - 1_000_000_000L, random.nextInt(1_000_000_000));
        if (type == List.class) {
            List<OrderLine> lines = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--)
                lines.add(random.nextInt(20) == 0 ? null : fill(new OrderLine(), random, 3));
            return lines;
        }
        throw new AssertionError(
                "no random value for " + field + ": add one, and the field to the serializer");
    }
}

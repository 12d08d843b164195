package io.shopkeeper.jobs.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.signals.SessionEvidence;
import io.shopkeeper.jobs.signals.SignalEvidence;
import io.shopkeeper.jobs.signals.SignalState;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The profile's hand-written serializer writes every field of the profile and of its nested signal
 * classes: each field is given a distinct non-default value by reflection, so a field added to any
 * of them and not to the serializer fails here.
 */
class CustomerProfileSerializerTest {
    private static final Set<Class<?>> NESTED =
            Set.of(SignalEvidence.class, SessionEvidence.class, SignalState.class);

    private int next = 1;

    @Test
    void everyFieldRoundTrips() throws Exception {
        CustomerProfile profile = fill(new CustomerProfile());

        CustomerProfile back = roundTrip(profile);

        assertThat(back).usingRecursiveComparison().isEqualTo(profile);
    }

    @Test
    void aNewProfileRoundTripsWithItsDefaults() throws Exception {
        CustomerProfile profile = new CustomerProfile();

        CustomerProfile back = roundTrip(profile);

        assertThat(back).usingRecursiveComparison().isEqualTo(profile);
        assertThat(back.getRecencyScore()).isNull();
        assertThat(back.getCustomerId()).isNull();
    }

    @Test
    void copiesAreIndependentOfTheOriginal() throws Exception {
        CustomerProfile profile = fill(new CustomerProfile());

        CustomerProfile copy = CustomerProfileSerializer.INSTANCE.copy(profile);
        copy.getRecentViews().add("changed");
        copy.getEvidence().getSession().setViews(-1);

        assertThat(profile.getRecentViews()).doesNotContain("changed");
        assertThat(profile.getEvidence().getSession().getViews()).isNotEqualTo(-1);
    }

    /**
     * The operator's cache copies a profile where it used to read one from RocksDB: the copy must
     * be what a write and a read give, down to the order its maps iterate in (a sum over a map in
     * another order can move a signal), and share nothing that a step changes.
     */
    @Test
    void aCopyIsARoundTripThatSharesNothingMutable() throws Exception {
        CustomerProfile profile = fill(new CustomerProfile());
        // A map grown and shrunk in place has a larger table than a read one: order may differ.
        for (int i = 0; i < 40; i++) profile.getCategoryAffinity().put("c" + i, (double) i);
        for (int i = 0; i < 37; i++) profile.getCategoryAffinity().remove("c" + i);
        profile.getEvidence().getHabits().put("h", 1.0);

        CustomerProfile copy = CustomerProfileSerializer.INSTANCE.copy(profile);
        CustomerProfile read = roundTrip(profile);

        assertThat(copy).usingRecursiveComparison().isEqualTo(read);
        assertThat(List.copyOf(copy.getCategoryAffinity().keySet()))
                .isEqualTo(List.copyOf(read.getCategoryAffinity().keySet()));
        assertThat(List.copyOf(copy.getEvidence().getHabits().keySet()))
                .isEqualTo(List.copyOf(read.getEvidence().getHabits().keySet()));
        assertSharesNothingMutable(copy, profile);
        assertThat(CustomerProfileSerializer.INSTANCE.copy(new CustomerProfile()))
                .usingRecursiveComparison()
                .isEqualTo(roundTrip(new CustomerProfile()));
    }

    /** Every list, map and nested object of {@code copy} is its own, recursively. */
    private static void assertSharesNothingMutable(Object copy, Object original) throws Exception {
        for (Field f : copy.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            f.setAccessible(true);
            Object a = f.get(copy);
            Object b = f.get(original);
            if (a instanceof List<?> || a instanceof Map<?, ?> || NESTED.contains(f.getType())) {
                assertThat(a).as(f.getName()).isNotSameAs(b);
                if (NESTED.contains(f.getType())) assertSharesNothingMutable(a, b);
            }
        }
    }

    private static CustomerProfile roundTrip(CustomerProfile profile) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        CustomerProfileSerializer.INSTANCE.serialize(profile, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        CustomerProfile back = CustomerProfileSerializer.INSTANCE.deserialize(in);
        assertThat(in.available()).as("bytes left unread").isZero();
        return back;
    }

    /** Sets every instance field of {@code target} (and of its nested signal objects). */
    private <T> T fill(T target) throws Exception {
        for (Field f : target.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            f.setAccessible(true);
            f.set(target, valueFor(f));
        }
        return target;
    }

    private Object valueFor(Field f) throws Exception {
        Class<?> type = f.getType();
        int n = next++;
        if (type == String.class) return "s" + n;
        if (type == long.class || type == Long.class) return 1_000_000L + n;
        if (type == int.class || type == Integer.class) return n;
        if (type == double.class || type == Double.class) return n + 0.25;
        if (type == boolean.class) return true;
        if (NESTED.contains(type)) return fill(type.getDeclaredConstructor().newInstance());
        if (type == List.class) {
            Class<?> element =
                    (Class<?>) ((ParameterizedType) f.getGenericType()).getActualTypeArguments()[0];
            List<Object> list = new ArrayList<>();
            if (element == String.class) list.addAll(List.of("a" + n, "b" + n));
            else if (element == Double.class) list.addAll(List.of(n + 0.5, n + 0.75));
            else throw new AssertionError("no test value for a list of " + element);
            return list;
        }
        if (type == Map.class) {
            Map<String, Double> map = new HashMap<>();
            map.put("k" + n, n + 0.5);
            map.put("j" + n, n + 0.125);
            return map;
        }
        throw new AssertionError(
                "no test value for field " + f + ": add one, and the field to the serializer");
    }
}

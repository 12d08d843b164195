package io.shopkeeper.jobs.offers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.shopkeeper.jobs.offers.OfferState.AssignedEntry;
import io.shopkeeper.jobs.offers.OfferState.OpenEntry;
import io.shopkeeper.jobs.offers.OfferState.PendingCart;
import io.shopkeeper.jobs.profile.ProfileDocuments;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.offers.ProfileFacts;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The offer state's hand-written serializer writes every field of the state and of its entries
 * (each given a distinct value by reflection, so a field added and not written fails here), the
 * facts in each form they are kept in, and the facts read back as earlier versions read their JSON.
 */
class OfferStateSerializerTest {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private int next = 1;

    @Test
    void everyFieldRoundTrips() throws Exception {
        OfferState s = fill(new OfferState());
        s.getAssigned().add(fill(new AssignedEntry()));
        s.getAssigned().add(fill(new AssignedEntry()));
        s.getOpen().add(fill(new OpenEntry()));
        s.getPendingCarts().add(fill(new PendingCart()));
        s.getCartItems().add("i1");
        s.getCartItems().add("i2");
        s.keepFacts(
                ProfileFacts.of(ProfileDocuments.of(OfferDecisionHarnessTest.profile("c", true))));

        OfferState back = roundTrip(s);

        assertThat(back).usingRecursiveComparison().isEqualTo(s);
        assertThat(back.facts()).isEqualTo(s.facts());
        assertThat(OfferStateSerializer.INSTANCE.copy(s)).usingRecursiveComparison().isEqualTo(s);
    }

    @Test
    void aNewStateRoundTripsEmpty() throws Exception {
        OfferState back = roundTrip(new OfferState());

        assertThat(back).usingRecursiveComparison().isEqualTo(new OfferState());
        assertThat(back.isEmpty()).isTrue();
        assertThat(back.facts()).isNull();
    }

    @Test
    void factsKeptAsJsonTextStayText() throws Exception {
        OfferState s = new OfferState();
        s.setFacts("{\"known\":true,\"orders\":3}");
        OfferState unreadable = new OfferState();
        unreadable.setFacts("{not json");

        assertThat(roundTrip(s).getFacts()).isEqualTo("{\"known\":true,\"orders\":3}");
        assertThat(roundTrip(s).facts())
                .containsExactly(Map.entry("known", true), Map.entry("orders", 3));
        assertThat(roundTrip(unreadable).facts()).isNull();
        assertThat(roundTrip(unreadable).isEmpty()).isFalse();
    }

    /** The decider sees exactly what it saw when the state kept the facts as JSON. */
    @Test
    void keptFactsReadAsTheirJsonDid() throws Exception {
        Map<String, Object> profileFacts =
                ProfileFacts.of(ProfileDocuments.of(OfferDecisionHarnessTest.profile("c", true)));
        Map<String, Object> odd = new LinkedHashMap<>();
        odd.put("orders", 3);
        odd.put("custom", null);
        odd.put("big", 1L << 40);
        odd.put("small", 7L);
        odd.put("lifecycle", "n\u00e9w \u2603");
        odd.put("spend", -0.0);
        odd.put("share", 1e-300);
        odd.put("known", false);
        Map<String, Object> nan = new LinkedHashMap<>(profileFacts);
        nan.put("averageOrderValue", Double.NaN);
        nan.put("estimatedLifetimeValue", Double.POSITIVE_INFINITY);

        for (Map<String, Object> facts : List.of(profileFacts, odd, nan)) {
            OfferState s = new OfferState();
            s.keepFacts(facts);
            Map<String, Object> asJson =
                    EventCodec.mapper().readValue(EventCodec.encodeToString(facts), MAP);

            for (OfferState kept : List.of(s, roundTrip(s))) {
                Map<String, Object> read = kept.facts();
                assertThat(read).containsExactlyEntriesOf(asJson);
                assertThat(classes(read)).isEqualTo(classes(asJson));
                assertThat(kept.getFacts()).isEqualTo(EventCodec.encodeToString(asJson));
            }
        }
        OfferState typed = new OfferState();
        typed.keepFacts(profileFacts);
        assertThat(typed.getFactValues()).as("kept as values, no JSON").isNotNull();
        assertThat(typed.facts()).as("a new map each time").isNotSameAs(typed.facts());
    }

    /** On the handover topic the state is the JSON it always was: facts as JSON text. */
    @Test
    void theHandoverJsonIsUnchanged() throws Exception {
        OfferState s = new OfferState();
        s.getAssigned().add(new AssignedEntry("bargain", 4000L));
        s.getCartItems().add("i7");
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("known", true);
        facts.put("orders", 2);
        facts.put("spend", 12.5);
        s.keepFacts(facts);

        String json = EventCodec.encodeToString(new OfferHandover("cust-1", "anon-1", 5000L, s));

        assertThat(json)
                .isEqualTo(
                        "{\"customerId\":\"cust-1\",\"anonymousId\":\"anon-1\",\"at\":5000,"
                                + "\"state\":{\"assigned\":[{\"campaignId\":\"bargain\",\"at\":4000}],"
                                + "\"open\":[],\"pendingCarts\":[],\"cartItems\":[\"i7\"],"
                                + "\"productOnScreen\":null,"
                                + "\"facts\":\"{\\\"known\\\":true,\\\"orders\\\":2,\\\"spend\\\":12.5}\","
                                + "\"offersExpireAt\":0,\"lastOrderAt\":0}}");
        OfferHandover back = new OfferHandover.Json().deserialize(json.getBytes());
        assertThat(back.getState().facts()).containsExactlyEntriesOf(facts);
        assertThat(TypeInformation.of(OfferState.class).createSerializer(null))
                .isInstanceOf(OfferStateSerializer.class);
    }

    private static List<Class<?>> classes(Map<String, Object> facts) {
        List<Class<?>> classes = new ArrayList<>();
        for (Object v : facts.values()) classes.add(v == null ? null : v.getClass());
        return classes;
    }

    private static OfferState roundTrip(OfferState s) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        OfferStateSerializer.INSTANCE.serialize(s, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        OfferState back = OfferStateSerializer.INSTANCE.deserialize(in);
        assertThat(in.available()).as("bytes left unread").isZero();
        return back;
    }

    /** Sets every instance field of {@code target} but lists, maps and the facts. */
    private <T> T fill(T target) throws Exception {
        for (Field f : target.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            Class<?> type = f.getType();
            if (List.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)) continue;
            if (f.getName().equals("facts")) continue;
            f.setAccessible(true);
            int n = next++;
            if (type == String.class) f.set(target, f.getName() + "-" + n);
            else if (type == long.class) f.setLong(target, 1000L * n);
            else if (type == boolean.class) f.setBoolean(target, true);
            else throw new AssertionError("field " + f.getName() + " of " + type + " not filled");
        }
        return target;
    }
}

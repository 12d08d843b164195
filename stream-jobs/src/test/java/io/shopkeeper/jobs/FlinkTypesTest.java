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
import io.shopkeeper.jobs.recommend.SessionRecommender;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.jobs.trending.ItemInteraction;
import io.shopkeeper.jobs.visitor.NeighboursReply;
import io.shopkeeper.jobs.visitor.RankingRequest;
import io.shopkeeper.schemas.DeadLetter;
import io.shopkeeper.schemas.ItemInfo;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.ScoredItem;
import io.shopkeeper.schemas.ShopEvent;
import java.util.List;
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
 * would fail if any field fell back to Kryo. The exceptions have hand-written serializers ({@link
 * io.shopkeeper.jobs.types.CompactTypeInfo}), and round-trip through them here (the visitor events'
 * in {@code ShopEventSerializerTest}).
 */
class FlinkTypesTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            classes = {
                ShopEvent.class,
                DecodedRecord.class,
                DeadLetter.class,
                CustomerProfile.class,
                ItemUpdate.class,
                ItemModel.class,
                RankingRequest.class,
                io.shopkeeper.jobs.visitor.ForgetVisitor.class,
                io.shopkeeper.schemas.ProfileDocument.class,
                io.shopkeeper.schemas.ProfileDocument.Signal.class,
                ItemInteraction.class,
                RecommendationList.class,
                ScoredItem.class,
                ItemInfo.class,
                io.shopkeeper.jobs.rfm.CustomerValue.class,
                io.shopkeeper.jobs.rfm.CustomerValueChange.class,
                io.shopkeeper.jobs.rfm.RfmCutPoints.class,
                io.shopkeeper.jobs.segments.SegmentChange.class,
                io.shopkeeper.jobs.signals.SignalState.class,
                io.shopkeeper.jobs.signals.SignalEvidence.class,
                io.shopkeeper.jobs.signals.SessionEvidence.class,
                io.shopkeeper.jobs.items.CoPurchase.class,
                io.shopkeeper.jobs.items.CoPurchaseCounts.class,
                io.shopkeeper.jobs.profile.ProfileUpdate.class,
                io.shopkeeper.jobs.census.CensusChange.class,
                io.shopkeeper.jobs.offers.ItemSignal.class,
                io.shopkeeper.jobs.offers.ItemInterestFunction.ItemInterest.class,
                io.shopkeeper.jobs.offers.ResultDelta.class,
                io.shopkeeper.jobs.offers.RecommendationDelta.class,
                io.shopkeeper.jobs.offers.OfferHandover.class,
                io.shopkeeper.jobs.offers.RecommendationClicks.class,
                io.shopkeeper.jobs.offers.RecommendationClicks.Click.class,
                io.shopkeeper.jobs.offers.OutboundOffer.class
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

    @org.junit.jupiter.api.Test
    void aRedisWriteTravelsInItsStoredForm() throws Exception {
        io.shopkeeper.schemas.ProfileDocument profile = new io.shopkeeper.schemas.ProfileDocument();
        profile.setVisitorId("cust-1");
        profile.getRecentViews().add("i1");
        RedisWrite profileWrite = RedisWrite.profile("sk:profile:cust-1", profile);
        RecommendationList list =
                new RecommendationList(
                        "cust-1",
                        "session",
                        42L,
                        java.util.List.of(new ScoredItem("i2", 0.5, "similar_to:i1")));
        for (RedisWrite write :
                java.util.List.of(
                        profileWrite,
                        RedisWrite.list("sk:recs:cust-1", list),
                        RedisWrite.text("sk:alias:a", "cust-1"),
                        RedisWrite.delete("sk:profile:a"),
                        RedisWrite.setAdd("sk:segment:vip", "cust-1"),
                        RedisWrite.hashPut("sk:catalog", "i1", new ItemInfo()),
                        RedisWrite.hashPutText(
                                "sk:offers:cust-1", "of_1", "{\"offerId\":\"of_1\"}"),
                        RedisWrite.sortedAdd("sk:offer-history:cust-1", "{}", 1.7e12, 100),
                        RedisWrite.expireAt("sk:offers:cust-1", 1_800_000_000_000L),
                        RedisWrite.deleteInOrder("sk:offers:cust-1"),
                        RedisWrite.eventsDone(3))) {
            RedisWrite copy = roundTrip(TypeInformation.of(RedisWrite.class), write);
            assertThat(copy.getKey()).isEqualTo(write.getKey());
            assertThat(copy.getOperation()).isEqualTo(write.getOperation());
            assertThat(copy.getMember()).isEqualTo(write.getMember());
            assertThat(copy.getEventsApplied()).isEqualTo(write.getEventsApplied());
            assertThat(copy.getScore()).isEqualTo(write.getScore());
            assertThat(copy.getKeep()).isEqualTo(write.getKeep());
            assertThat(copy.getExpireAt()).isEqualTo(write.getExpireAt());
            assertThat(copy.getText()).isEqualTo(write.getText());
            assertThat(copy.storedValue()).isEqualTo(write.storedValue());
            assertThat(copy.getList()).usingRecursiveComparison().isEqualTo(write.getList());
            assertThat(copy.getProfile()).usingRecursiveComparison().isEqualTo(write.getProfile());
            assertThat(copy.getItem()).usingRecursiveComparison().isEqualTo(write.getItem());
        }
        assertThat(profileWrite.storedValue())
                .isEqualTo(io.shopkeeper.schemas.EventCodec.encodeToString(profile));
        assertThat(profileWrite.getEventsApplied()).isEqualTo(1);
    }

    private static <T> T roundTrip(TypeInformation<T> info, T value) throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<T> serializer = info.createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @org.junit.jupiter.api.Test
    void theRecommendationMessagesRoundTripThroughTheirSerializers() throws Exception {
        SessionRecommender recommender = new SessionRecommender();
        ItemModel model = new ItemModel();
        List<String> session = List.of("i1", "i2", "i3", "i2", "i4");
        for (int n = 1; n <= session.size(); n++) {
            for (ItemUpdate update : recommender.updatesFor("v/s1", session.subList(0, n))) {
                if (update.getItemId().equals("i2")) recommender.apply(model, update, 1000L * n);
            }
        }
        ItemNeighbours neighbours = recommender.neighbours("i2", model);
        assertThat(neighbours.getSampleSessions()).containsExactly("v/s1");
        neighbours.setContextThen(List.of("i3"));
        neighbours.setContextNext(List.of("i4"));
        neighbours.setContextWeights(List.of(0.5));
        ItemNeighbours copy = roundTrip(TypeInformation.of(ItemNeighbours.class), neighbours);
        assertThat(copy).usingRecursiveComparison().isEqualTo(neighbours);

        RankingRequest request =
                new RankingRequest("cust-1", List.of("i1", "i2"), List.of("i9"), 42L);
        request.setSessionId("cust-1/s1");
        request.setAliases(List.of("anon-1"));
        NeighboursReply reply = new NeighboursReply(request, neighbours);
        assertThat(roundTrip(TypeInformation.of(NeighboursReply.class), reply))
                .usingRecursiveComparison()
                .isEqualTo(reply);

        ItemMessage message = ItemMessage.lookup("i2", request);
        message.setUpdates(recommender.updatesFor("cust-1/s1", session));
        message.getUpdates().add(ItemUpdate.context("i2", "i3", "i4"));
        ItemMessage messageCopy = roundTrip(TypeInformation.of(ItemMessage.class), message);
        assertThat(messageCopy).usingRecursiveComparison().isEqualTo(message);
        assertThat(messageCopy.getUpdates())
                .extracting(ItemUpdate::toString)
                .containsExactlyElementsOf(
                        message.getUpdates().stream().map(ItemUpdate::toString).toList());
        ItemMessage learnOnly = new ItemMessage("i3", 7L);
        assertThat(roundTrip(TypeInformation.of(ItemMessage.class), learnOnly).getRequest())
                .isNull();
    }

    @org.junit.jupiter.api.Test
    void offerMomentsRoundTripThroughTheirSerializer() throws Exception {
        io.shopkeeper.jobs.profile.VisitorStep step =
                new io.shopkeeper.jobs.profile.VisitorStep(
                        JobConfig.builder().build().profileSettings(),
                        io.shopkeeper.jobs.segments.SegmentEvaluator.defaults());
        CustomerProfile profile = new CustomerProfile();
        step.onEvent(
                "cust-1",
                profile,
                io.shopkeeper.jobs.testing.ShopEvents.viewed(
                        "cust-1", "s1", "i1", "c1", seconds(1)),
                true,
                null);
        step.onEvent(
                "cust-1",
                profile,
                ordered("cust-1", "s1", "o1", seconds(3), line("i1", "c1", 2, 9.5)),
                true,
                null);
        io.shopkeeper.jobs.offers.OfferMoment withProfile =
                new io.shopkeeper.jobs.offers.OfferMoment();
        withProfile.setVisitorId("cust-1");
        withProfile.setAt(3000L);
        withProfile.setEventType(io.shopkeeper.schemas.EventType.ORDER_PLACED);
        withProfile.setSessionId("s1");
        withProfile.setItemId("i1");
        withProfile.setPageType("product");
        withProfile.setOfferId("of_1");
        withProfile.setRecommendationId("r~home~session");
        withProfile.setCouponCode("SK-1");
        withProfile.setTotal(19.0);
        withProfile.setDiscountTotal(1.5);
        withProfile.setSessionEnded(true);
        withProfile.setSessionEndedAt(2000L);
        withProfile.setDriftingOn(true);
        withProfile.setWonBack(true);
        withProfile.getJoinedSegments().add("vip");
        withProfile.setFacts(
                io.shopkeeper.schemas.offers.ProfileFacts.of(
                        io.shopkeeper.jobs.profile.ProfileDocuments.of(profile)));
        io.shopkeeper.jobs.offers.OfferMoment item =
                io.shopkeeper.jobs.offers.OfferMoment.item(
                        "anon-1", "price_drop", "i2", 12.5, 1000L, 4000L);
        io.shopkeeper.jobs.offers.OfferMoment forgotten =
                new io.shopkeeper.jobs.offers.OfferMoment();
        forgotten.setKind(io.shopkeeper.jobs.offers.OfferMoment.Kind.FORGOTTEN);
        forgotten.setVisitorId("cust-2");
        forgotten.setAliases(List.of("anon-2", "anon-3"));
        io.shopkeeper.jobs.offers.OfferMoment merged = new io.shopkeeper.jobs.offers.OfferMoment();
        merged.setKind(io.shopkeeper.jobs.offers.OfferMoment.Kind.MERGED_AWAY);
        merged.setVisitorId("anon-4");
        merged.setMergedInto("cust-4");
        io.shopkeeper.jobs.offers.OfferState state = new io.shopkeeper.jobs.offers.OfferState();
        state.getCartItems().add("i7");
        state.setProductOnScreen("i8");
        state.setFacts("{\"known\":true}");
        state.setLastOrderAt(5000L);
        state.getAssigned()
                .add(new io.shopkeeper.jobs.offers.OfferState.AssignedEntry("bargain", 4000L));
        io.shopkeeper.jobs.offers.OfferMoment handover =
                new io.shopkeeper.jobs.offers.OfferHandover("cust-5", "anon-5", 6000L, state)
                        .toMoment();
        // Facts outside the vocabulary (never sent by the job) and every value type still travel.
        io.shopkeeper.jobs.offers.OfferMoment odd = new io.shopkeeper.jobs.offers.OfferMoment();
        odd.setVisitorId("anon-6");
        java.util.Map<String, Object> facts = new java.util.LinkedHashMap<>();
        facts.put("orders", 3);
        facts.put("custom", null);
        facts.put("big", 1L << 40);
        facts.put("lifecycle", "new");
        facts.put("spend", 12.5);
        facts.put("known", false);
        odd.setFacts(facts);
        assertThat(withProfile.getFacts()).containsEntry("orders", 1).containsEntry("known", true);
        for (io.shopkeeper.jobs.offers.OfferMoment m :
                List.of(withProfile, item, forgotten, merged, handover, odd)) {
            io.shopkeeper.jobs.offers.OfferMoment copy =
                    roundTrip(TypeInformation.of(io.shopkeeper.jobs.offers.OfferMoment.class), m);
            assertThat(copy).usingRecursiveComparison().isEqualTo(m);
        }
        // The offer state has its own serializer too, facts kept as values or as JSON text.
        for (java.util.Map<String, Object> kept : List.of(withProfile.getFacts(), facts)) {
            state.keepFacts(kept);
            io.shopkeeper.jobs.offers.OfferHandover h =
                    new io.shopkeeper.jobs.offers.OfferHandover("cust-5", "anon-5", 6000L, state);
            assertThat(
                            roundTrip(
                                    TypeInformation.of(
                                            io.shopkeeper.jobs.offers.OfferHandover.class),
                                    h))
                    .usingRecursiveComparison()
                    .isEqualTo(h);
        }
        assertThat(profile.getOrders()).isEqualTo(1);
    }

    @org.junit.jupiter.api.Test
    void decodedAndDeduplicatedEventsTravelWithTheirOwnSerializer() {
        org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env =
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment
                        .getExecutionEnvironment();
        org.apache.flink.streaming.api.datastream.DataStream<DecodedRecord> records =
                env.fromData(
                        DecodedRecord.decode(
                                io.shopkeeper.schemas.EventCodec.encode(
                                        ordered(
                                                "cust-1",
                                                "s1",
                                                "o1",
                                                seconds(3),
                                                line("i1", "c1", 2, 9.5))),
                                "orders",
                                0,
                                0L,
                                0L));
        JobSinks sinks =
                new JobSinks(
                        new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>(),
                        new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>(),
                        new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>());
        org.apache.flink.streaming.api.datastream.DataStream<ShopEvent> decoded =
                PersonalizationJob.decode(records, sinks);
        assertThat(decoded.getType()).isEqualTo(io.shopkeeper.jobs.types.ShopEventSerializer.TYPE);
        assertThat(PersonalizationJob.deduplicate(decoded, JobConfig.builder().build()).getType())
                .isEqualTo(io.shopkeeper.jobs.types.ShopEventSerializer.TYPE);
    }
}

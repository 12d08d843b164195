package io.shopkeeper.launcher.personas;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.ShopEvent;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The planted personas where they live: one seed gives one stream (the signal benchmark's figures
 * depend on it), every event is one the collector would accept, each visitor's events are theirs
 * and in time order, and each persona's truth and behaviour are what its description says.
 */
class PersonaGeneratorTest {
    private static final PersonaConfig SMALL = PersonaConfig.defaults().withPerPersona(4);
    private static final List<PlantedVisitor> VISITORS = new PersonaGenerator(SMALL).generate();

    private static String encoded(List<PlantedVisitor> visitors) {
        return visitors.stream()
                .flatMap(v -> v.events().stream())
                .map(EventCodec::encodeToString)
                .collect(Collectors.joining("\n"));
    }

    private static Map<Persona, List<PlantedVisitor>> byPersona() {
        return VISITORS.stream().collect(Collectors.groupingBy(v -> v.label().persona()));
    }

    private static boolean any(PlantedVisitor v, Predicate<ShopEvent> p) {
        return v.events().stream().anyMatch(p);
    }

    @Test
    void oneSeedGivesOneStreamAndAnotherSeedAnother() {
        assertThat(encoded(new PersonaGenerator(SMALL).generate())).isEqualTo(encoded(VISITORS));
        PersonaConfig other =
                new PersonaConfig(
                        SMALL.perPersona(),
                        SMALL.regularsFactor(),
                        SMALL.days(),
                        SMALL.start(),
                        SMALL.store(),
                        11L);
        assertThat(encoded(new PersonaGenerator(other).generate())).isNotEqualTo(encoded(VISITORS));
    }

    @Test
    void everyPersonaIsPlantedWithItsCount() {
        Map<Persona, List<PlantedVisitor>> by = byPersona();
        assertThat(by.keySet()).containsExactlyInAnyOrder(Persona.values());
        by.forEach(
                (persona, visitors) ->
                        assertThat(visitors)
                                .as(persona.name())
                                .hasSize(
                                        persona == Persona.LOYAL_REGULAR
                                                ? SMALL.perPersona() * SMALL.regularsFactor()
                                                : SMALL.perPersona()));
        assertThat(VISITORS.stream().map(v -> v.label().visitorId()).distinct())
                .hasSize(VISITORS.size());
    }

    @Test
    void everyEventIsValidTheVisitorsOwnAndInTimeOrder() {
        for (PlantedVisitor v : VISITORS) {
            ShopEvent previous = null;
            for (ShopEvent e : v.events()) {
                assertThat(EventCodec.decode(EventCodec.encode(e)).error())
                        .as(v.label().visitorId() + " " + EventCodec.encodeToString(e))
                        .isNull();
                assertThat(e.visitorKey()).isEqualTo(v.label().visitorId());
                if (previous != null)
                    assertThat(e.getTimestamp()).isAfterOrEqualTo(previous.getTimestamp());
                previous = e;
            }
            assertThat(v.events()).as(v.label().visitorId()).isNotEmpty();
        }
    }

    @Test
    void theTruthFollowsThePersonaAndPointsAtTheOnsetSession() {
        for (PlantedVisitor v : VISITORS) {
            PersonaLabel label = v.label();
            Persona persona = label.persona();
            if (!persona.priceSensitive()) assertThat(label.priceOnset()).isEqualTo(-1);
            if (!persona.drifting()) assertThat(label.driftOnset()).isEqualTo(-1);
            if (label.priceSensitive()) {
                assertThat(persona.priceSensitive()).isTrue();
                assertThat(v.events().get(label.priceOnset()).getSessionId())
                        .isEqualTo(label.priceOnsetSession());
            }
            if (label.drifting()) {
                assertThat(persona.drifting()).isTrue();
                assertThat(v.events().get(label.driftOnset()).getSessionId())
                        .isEqualTo(label.driftOnsetSession());
            }
        }
        Function<Predicate<PersonaLabel>, Long> count =
                p -> VISITORS.stream().map(PlantedVisitor::label).filter(p).count();
        assertThat(count.apply(l -> l.persona().priceSensitive() && l.priceSensitive()))
                .as("price-sensitive personas with an onset")
                .isGreaterThanOrEqualTo(count.apply(l -> l.persona().priceSensitive()) * 3 / 4);
        assertThat(count.apply(l -> l.persona().drifting() && l.drifting()))
                .as("drifting personas with an onset")
                .isGreaterThanOrEqualTo(count.apply(l -> l.persona().drifting()) * 3 / 4);
    }

    @Test
    void eachPersonaBehavesAsDescribed() {
        Map<Persona, List<PlantedVisitor>> by = byPersona();
        assertThat(by.get(Persona.WINDOW_SHOPPER))
                .noneMatch(v -> any(v, e -> e.getType() == EventType.ORDER_PLACED));
        // A known wanderer shops as usual first; from the drift onset on, nothing goes in a cart.
        assertThat(by.get(Persona.WANDERER))
                .allMatch(v -> v.label().drifting())
                .noneMatch(
                        v ->
                                v
                                        .events()
                                        .subList(v.label().driftOnset(), v.events().size())
                                        .stream()
                                        .anyMatch(e -> e.getType() == EventType.ADD_TO_CART));
        assertThat(by.get(Persona.LOYAL_REGULAR))
                .allMatch(v -> any(v, e -> e.getType() == EventType.ORDER_PLACED))
                .allMatch(v -> v.label().visitorId() != null && !v.events().isEmpty());
        assertThat(by.get(Persona.SORTER_COMPARER))
                .allMatch(
                        v ->
                                any(
                                        v,
                                        e ->
                                                e.getType() == EventType.SORT
                                                        && "price_asc".equals(e.getSortBy())));
        assertThat(by.get(Persona.COUPON_HUNTER))
                .allMatch(
                        v ->
                                any(
                                        v,
                                        e ->
                                                e.getType() == EventType.SEARCH
                                                        && e.getQuery() != null
                                                        && e.getQuery()
                                                                .matches(
                                                                        ".*(coupon|voucher|sale|deal|discount|promo|cheap|code|offer|clearance|bargain).*")));
        assertThat(by.get(Persona.FAILED_SEARCHER))
                .allMatch(
                        v ->
                                any(
                                        v,
                                        e ->
                                                e.getType() == EventType.SEARCH
                                                        && Integer.valueOf(0)
                                                                .equals(e.getResultCount())));
        assertThat(by.get(Persona.CART_ABANDONER))
                .allMatch(v -> any(v, e -> e.getType() == EventType.CHECKOUT_START));
    }
}

package io.shopkeeper.api.recommendations;

import static io.shopkeeper.api.ApiFixtures.CLOCK;
import static io.shopkeeper.api.ApiFixtures.NOW;
import static io.shopkeeper.api.ApiFixtures.list;
import static io.shopkeeper.api.ApiFixtures.scored;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.api.store.CandidateLists;
import io.shopkeeper.api.store.CandidateQuery;
import io.shopkeeper.api.store.RecommendationStore;
import io.shopkeeper.schemas.RecommendationList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The blend and fallback logic alone, on fixed candidate lists. */
class RecommendationServiceTest {

    /** A store that returns the same lists whatever is asked. */
    private record FixedStore(CandidateLists lists) implements RecommendationStore {
        @Override
        public CandidateLists candidates(CandidateQuery query) {
            return lists;
        }

        @Override
        public List<RecommendationList> boughtTogether(List<String> itemIds) {
            return List.of();
        }

        @Override
        public Optional<RecommendationList> similarItems(String itemId) {
            return Optional.ofNullable(lists.similar());
        }

        @Override
        public Optional<RecommendationList> trending(String categoryId) {
            return Optional.ofNullable(lists.trending());
        }

        @Override
        public boolean ping() {
            return true;
        }

        @Override
        public void close() {}
    }

    private static Recommendations recommend(
            CandidateLists lists, PageContext context, String item, int n) {
        return new RecommendationService(new FixedStore(lists), CLOCK)
                .recommend(new RecommendationRequest("c1", context, item, null, n));
    }

    @Test
    void scoresNeverIncreaseDownTheList() {
        var lists =
                new CandidateLists(
                        list("c1", scored("p1", 10), scored("p2", 1)),
                        list("x", scored("s1", 0.3), scored("p2", 0.29)),
                        null,
                        list(null, scored("t1", 100), scored("t2", 50)));

        Recommendations answer = recommend(lists, PageContext.CART, "x", 10);

        assertThat(answer.items())
                .extracting(RecommendedItem::itemId)
                .containsExactly("p1", "p2", "s1", "t1", "t2");
        for (int i = 1; i < answer.items().size(); i++) {
            assertThat(answer.items().get(i).score())
                    .isLessThanOrEqualTo(answer.items().get(i - 1).score());
        }
        assertThat(answer.strategy()).isEqualTo("personalized+similar+trending");
        assertThat(answer.generatedAt()).isEqualTo(NOW);
    }

    @Test
    void similarItemsCountLessOutsideTheProductPage() {
        var lists =
                new CandidateLists(
                        list("c1", scored("p1", 1)), list("x", scored("s1", 1)), null, null);

        assertThat(recommend(lists, PageContext.CART, "x", 2).items())
                .extracting(RecommendedItem::itemId)
                .containsExactly("p1", "s1");
        assertThat(recommend(lists, PageContext.CART, "x", 2).items().get(1).score())
                .isEqualTo(RecommendationService.SIMILAR_WEIGHT);
        assertThat(recommend(lists, PageContext.PRODUCT, "x", 2).items().get(1).score())
                .isEqualTo(RecommendationService.SIMILAR_WEIGHT_ON_PRODUCT_PAGE);
    }

    @Test
    void listWithoutScoresIsRankedByPosition() {
        var lists =
                new CandidateLists(list("c1", scored("a", 0), scored("b", 0)), null, null, null);

        assertThat(recommend(lists, PageContext.HOME, null, 5).items())
                .containsExactly(
                        new RecommendedItem("a", 1.0, "personalized"),
                        new RecommendedItem("b", 0.5, "personalized"));
    }

    @Test
    void blankAndMissingItemIdsAreSkipped() {
        var lists =
                new CandidateLists(
                        list("c1", scored(null, 5), scored(" ", 4), scored("ok", 3)),
                        null,
                        null,
                        null);

        assertThat(recommend(lists, PageContext.HOME, null, 5).items())
                .extracting(RecommendedItem::itemId)
                .containsExactly("ok");
    }

    /**
     * Ids are minted once per context and strategy, then made of a UUID and the checked end: each
     * is what {@link io.shopkeeper.schemas.RecommendationIds#mint} makes of its UUID, context and
     * strategy, every time; a strategy mint refuses is refused every time, never remembered.
     */
    @Test
    void everyAnswerIdIsTheOneMintMakesAndBadStrategiesAreRefusedEveryTime() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int round = 0; round < 2; round++) {
            for (PageContext context : PageContext.values()) {
                for (int flags = 0; flags < 1 << 11; flags++) {
                    String strategy = ReRanker.strategyOf(flags);
                    String id = RecommendationService.newRecommendationId(context, strategy);
                    java.util.UUID uuid = java.util.UUID.fromString(id.substring(0, 36));
                    assertThat(id)
                            .isEqualTo(
                                    io.shopkeeper.schemas.RecommendationIds.mint(
                                            uuid, context.wireName(), strategy));
                    assertThat(uuid.version()).isEqualTo(4);
                    assertThat(seen.add(id)).as("ids are unique").isTrue();
                }
                for (String bad : List.of("", "personalized+personalized", "x", "similar~x")) {
                    org.assertj.core.api.Assertions.assertThatThrownBy(
                                    () -> RecommendationService.newRecommendationId(context, bad))
                            .isInstanceOf(IllegalArgumentException.class);
                }
            }
        }
    }
}

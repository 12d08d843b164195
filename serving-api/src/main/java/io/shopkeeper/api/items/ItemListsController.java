package io.shopkeeper.api.items;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.Context;
import io.shopkeeper.api.http.Params;
import io.shopkeeper.api.recommendations.RecommendationService;
import io.shopkeeper.api.recommendations.RecommendedItem;
import io.shopkeeper.api.store.LastGoodTrending;
import io.shopkeeper.api.store.RecommendationStore;
import io.shopkeeper.api.store.StoreUnavailableException;
import io.shopkeeper.schemas.RecommendationList;
import java.util.List;

/**
 * The non-personal lists: {@code GET /v1/items/{id}/similar} and {@code GET /v1/trending}. Both
 * answer 200 with a possibly empty {@code items} array: a new item has no similar items yet, and a
 * new shop or category has no trend yet; neither is an error. While the store is unavailable,
 * trending answers the last list this process read, marked {@code "stale": true}.
 */
public final class ItemListsController {
    private final RecommendationStore store;
    private final LastGoodTrending lastGood;

    public ItemListsController(RecommendationStore store) {
        this(store, new LastGoodTrending());
    }

    public ItemListsController(RecommendationStore store, LastGoodTrending lastGood) {
        this.store = store;
        this.lastGood = lastGood;
    }

    /**
     * The answer of both routes. {@code subject} is the item or category ({@code null}: all items).
     */
    public record ItemList(
            String subject,
            String strategy,
            long updatedAt,
            List<RecommendedItem> items,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean stale) {}

    public void similar(Context ctx) {
        String item = Params.pathId(ctx, "id");
        int n = Params.limit(ctx);
        RecommendationList list = store.similarItems(item).orElse(null);
        ctx.json(
                new ItemList(
                        item,
                        "similar",
                        updatedAt(list),
                        RecommendationService.topOf(list, n, "similar_to:" + item),
                        false));
    }

    public void trending(Context ctx) {
        String category = Params.optionalQueryId(ctx, "category");
        int n = Params.limit(ctx);
        RecommendationList list;
        boolean stale = false;
        try {
            list = store.trending(category).orElse(null);
            lastGood.remember(category, list);
        } catch (StoreUnavailableException e) {
            list = lastGood.lastGood(category).orElseThrow(() -> e);
            stale = true;
        }
        ctx.json(
                new ItemList(
                        category,
                        "trending",
                        updatedAt(list),
                        RecommendationService.topOf(
                                list, n, category == null ? "trending" : "trending_in:" + category),
                        stale));
    }

    private static long updatedAt(RecommendationList list) {
        return list == null ? 0 : list.getUpdatedAt();
    }
}

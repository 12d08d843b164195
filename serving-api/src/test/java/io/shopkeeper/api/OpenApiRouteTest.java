package io.shopkeeper.api;

import static io.shopkeeper.api.ApiFixtures.text;
import static io.shopkeeper.api.ApiFixtures.withoutKey;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code GET /openapi.yaml} describes every route the app registers. */
class OpenApiRouteTest extends RedisTestBase {

    @Test
    void descriptionListsEveryRoute() {
        withoutKey(
                ApiFixtures.app(store),
                (server, client) -> {
                    var response = client.get("/openapi.yaml");
                    assertThat(response.code()).isEqualTo(200);
                    String yaml = text(response);
                    for (String route :
                            List.of(
                                    ShopkeeperApi.RECOMMENDATIONS,
                                    ShopkeeperApi.PROFILE,
                                    ShopkeeperApi.SIMILAR,
                                    ShopkeeperApi.TRENDING,
                                    ShopkeeperApi.EVENTS,
                                    ShopkeeperApi.HEALTH,
                                    ShopkeeperApi.METRICS,
                                    ShopkeeperApi.OPENAPI,
                                    ShopkeeperApi.CUSTOMER,
                                    ShopkeeperApi.DELETION,
                                    ShopkeeperApi.SEGMENTS,
                                    ShopkeeperApi.SEGMENT_MEMBERS,
                                    ShopkeeperApi.CAMPAIGNS,
                                    ShopkeeperApi.CAMPAIGN,
                                    ShopkeeperApi.CAMPAIGN_PAUSE,
                                    ShopkeeperApi.CAMPAIGN_RESUME,
                                    ShopkeeperApi.CAMPAIGN_END,
                                    ShopkeeperApi.CAMPAIGN_PREVIEW,
                                    ShopkeeperApi.CAMPAIGN_RESULTS,
                                    ShopkeeperApi.OFFERS,
                                    ShopkeeperApi.OFFER_HISTORY,
                                    ShopkeeperApi.RECOMMENDATION_RESULTS)) {
                        assertThat(yaml).contains("\n  " + route + ":\n");
                    }
                });
    }
}

package io.shopkeeper.api.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keys, origins and limits from the environment; visitor tokens. */
class AccessSettingsTest {

    @Test
    void keysOriginsAndLimitsComeFromTheEnvironment() {
        var settings =
                AccessSettings.fromEnv(
                        Map.of(
                                "SHOPKEEPER_STOREFRONT_KEYS",
                                        "store-key-0000000001, store-key-0000000002",
                                "SHOPKEEPER_ADMIN_KEYS", "admin-key-000000000001",
                                "SHOPKEEPER_VISITOR_SECRET", "a-visitor-secret-123",
                                "SHOPKEEPER_CORS_ORIGINS",
                                        "https://shop.example,http://localhost:8000",
                                "SHOPKEEPER_COLLECTOR_EVENTS_PER_KEY", "50",
                                "SHOPKEEPER_COLLECTOR_EVENTS_PER_VISITOR", "5"));
        assertThat(settings.storefrontKeys())
                .containsExactly("store-key-0000000001", "store-key-0000000002");
        assertThat(settings.adminKey()).isEqualTo("admin-key-000000000001");
        assertThat(settings.visitorSecret()).isEqualTo("a-visitor-secret-123");
        assertThat(settings.corsOrigins())
                .containsExactly("https://shop.example", "http://localhost:8000");
        assertThat(settings.eventsPerSecondPerKey()).isEqualTo(50);
        assertThat(settings.eventsPerSecondPerVisitor()).isEqualTo(5);
        assertThat(settings.toString()).doesNotContain("store-key").doesNotContain("secret-123");
    }

    @Test
    void unsetKeysAreGeneratedFreshAndDistinct() {
        var a = AccessSettings.fromEnv(Map.of());
        var b = AccessSettings.fromEnv(Map.of());
        assertThat(a.storefrontKey()).startsWith("sk_store_").hasSize(41);
        assertThat(a.adminKey()).startsWith("sk_admin_").isNotEqualTo(b.adminKey());
        assertThat(a.visitorSecret()).isNull();
        assertThat(AccessSettings.keysConfigured(Map.of())).isFalse();
    }

    @Test
    void weakOrReusedKeysAndBadOriginsAreRefused() {
        assertThatThrownBy(() -> AccessSettings.fromEnv(Map.of("SHOPKEEPER_ADMIN_KEYS", "short")))
                .hasMessageContaining("at least 16 printable characters");
        assertThatThrownBy(
                        () ->
                                new AccessSettings(
                                        List.of("same-key-000000000"),
                                        List.of("same-key-000000000"),
                                        null,
                                        List.of(),
                                        1,
                                        1))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(
                        () ->
                                AccessSettings.fromEnv(
                                        Map.of("SHOPKEEPER_CORS_ORIGINS", "https://shop.example/")))
                .hasMessageContaining("without a path");
    }

    @Test
    void visitorTokensVerifyOnlyForTheirVisitorAndSecret() {
        var tokens = new VisitorTokens("a-visitor-secret-123");
        String token = tokens.sign("cust-262");
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(tokens.verify("cust-262", token)).isTrue();
        assertThat(tokens.verify("cust-263", token)).isFalse();
        assertThat(tokens.verify("cust-262", null)).isFalse();
        assertThat(new VisitorTokens("another-secret-12345").verify("cust-262", token)).isFalse();
    }
}

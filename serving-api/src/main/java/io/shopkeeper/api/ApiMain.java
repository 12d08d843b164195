package io.shopkeeper.api;

import io.shopkeeper.api.access.AccessSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the HTTP API as configured by {@code SHOPKEEPER_*} environment variables (see {@link
 * ApiSettings}) and stops it cleanly on shutdown.
 */
public final class ApiMain {
    private static final Logger LOG = LoggerFactory.getLogger(ApiMain.class);

    private ApiMain() {}

    public static void main(String[] args) {
        ApiSettings settings = ApiSettings.fromEnv();
        if (!AccessSettings.keysConfigured(System.getenv())) {
            LOG.warn(
                    "{} and {} are not both set: this run accepts generated keys:"
                            + " storefront {} admin {}",
                    AccessSettings.STOREFRONT_KEYS,
                    AccessSettings.ADMIN_KEYS,
                    settings.access().storefrontKey(),
                    settings.access().adminKey());
        }
        ApiServer server = ApiServer.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shopkeeper-api-shutdown"));
        LOG.info(
                "Shopkeeper API listening on port {} (redis {}:{}, kafka {})",
                server.port(),
                settings.redisHost(),
                settings.redisPort(),
                settings.kafkaEnabled() ? settings.kafkaBootstrap() : "disabled");
    }
}

package io.shopkeeper.launcher;

import io.shopkeeper.api.access.AccessSettings;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The quick start's API keys: generated on the first start and kept in the data folder, so the
 * console and pages keep working across restarts ({@code --wipe} makes new ones). Keys set in the
 * environment ({@code SHOPKEEPER_STOREFRONT_KEYS} and {@code SHOPKEEPER_ADMIN_KEYS}) win.
 */
final class QuickStartKeys {
    static final String FILE = "api-keys.properties";
    private static final String STOREFRONT = "storefront";
    private static final String ADMIN = "admin";
    private static final String SECRET = "visitor-secret";

    private QuickStartKeys() {}

    static AccessSettings loadOrCreate(Path dataDir, Map<String, String> env) throws IOException {
        if (AccessSettings.keysConfigured(env)) return AccessSettings.fromEnv(env);
        Path file = dataDir.resolve(FILE);
        Properties keys = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                keys.load(in);
            }
        }
        if (keys.getProperty(STOREFRONT) == null
                || keys.getProperty(ADMIN) == null
                || keys.getProperty(SECRET) == null) {
            keys.setProperty(STOREFRONT, AccessSettings.newStorefrontKey());
            keys.setProperty(ADMIN, AccessSettings.newAdminKey());
            keys.setProperty(SECRET, AccessSettings.randomToken());
            try (Writer out = Files.newBufferedWriter(file)) {
                keys.store(out, "Shopkeeper quick start API keys (delete to get new ones)");
            }
        }
        AccessSettings fromEnv = AccessSettings.fromEnv(env); // origins and limits
        return new AccessSettings(
                List.of(keys.getProperty(STOREFRONT)),
                List.of(keys.getProperty(ADMIN)),
                keys.getProperty(SECRET),
                fromEnv.corsOrigins(),
                fromEnv.eventsPerSecondPerKey(),
                fromEnv.eventsPerSecondPerVisitor());
    }
}

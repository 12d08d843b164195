package io.shopkeeper.schemas.offers;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.schemas.ProfileDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The one fact table: what it reads, what the fingerprint sees, and the README that lists it. */
class ProfileFactsTest {

    private static ProfileDocument customer() throws Exception {
        return ProfileDocument.read(
                """
                {"visitorId":"cust-1","customerId":"cust-1","lifecycle":"active","orders":2,"spend":80.0,
                 "averageOrderValue":40.0,"estimatedLifetimeValue":500.0,"tenureDays":12.25,
                 "priceSensitive":{"score":0.42,"flagged":false},"recentCarts":["i1"]}
                """);
    }

    @Test
    void everyFactReadsFromTheDocumentWithItsDefault() throws Exception {
        var facts = ProfileFacts.of(customer());
        assertThat(facts.keySet()).containsExactlyElementsOf(ProfileFacts.NAMES);
        assertThat(facts)
                .containsEntry("known", true)
                .containsEntry("orders", 2)
                .containsEntry("spend", 80.0)
                .containsEntry("recencyDays", -1)
                .containsEntry("monetaryScore", 0)
                .containsEntry("priceSensitivityScore", 0.42)
                .containsEntry("driftingScore", 0.0)
                .containsEntry("cartItems", 1);
    }

    @Test
    void theFingerprintMovesWithTheFactsButNotWithinTheirGrain() throws Exception {
        ProfileDocument p = customer();
        int before = ProfileFacts.fingerprint(p);

        p.setTenureDays(12.9);
        p.getPriceSensitive().setScore(0.44);
        p.setEstimatedLifetimeValue(510.0);
        assertThat(ProfileFacts.fingerprint(p)).as("same day, same tenth").isEqualTo(before);

        p.setTenureDays(13.0);
        assertThat(ProfileFacts.fingerprint(p)).as("a new day").isNotEqualTo(before);
        p.setTenureDays(12.25);
        p.setOrders(3);
        assertThat(ProfileFacts.fingerprint(p)).as("an order").isNotEqualTo(before);
        p.setOrders(2);
        p.getPriceSensitive().setScore(0.46);
        assertThat(ProfileFacts.fingerprint(p)).as("the next tenth").isNotEqualTo(before);
    }

    /** The README's segment section names the facts a condition may use: exactly these. */
    @Test
    void theReadmeListsExactlyTheFacts() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher list =
                Pattern.compile("over the profile's facts \\(([^)]*)\\)", Pattern.DOTALL)
                        .matcher(readme);
        assertThat(list.find()).as("the fact list in README.md").isTrue();
        List<String> named =
                Arrays.stream(list.group(1).split(","))
                        .map(s -> s.strip().replace("`", ""))
                        .toList();
        assertThat(named).containsExactlyElementsOf(ProfileFacts.NAMES);
    }
}

package io.shopkeeper.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The profile document against its JSON Schema ({@code schemas/profile.json}) and the example
 * documents in {@code src/test/resources/profiles}: every valid example passes the schema and reads
 * into {@link ProfileDocument} without losing a field; every broken one fails the schema with the
 * reason, and the typed reader too where the break is a wrong type.
 */
class ProfileDocumentTest {
    private static final JsonSchema SCHEMA = SchemaFiles.load("profile.json");

    /** Each broken example, with what the schema's reason names. */
    private static final Map<String, String> INVALID =
            Map.of(
                    "not_an_object.json", "object expected",
                    "without_visitor.json", "visitorId",
                    "orders_not_a_number.json", "$.orders",
                    "recent_views_not_a_list.json", "$.recentViews",
                    "affinity_not_a_number.json", "$.categoryAffinity.c01",
                    "unknown_lifecycle.json", "$.lifecycle",
                    "score_out_of_range.json", "$.monetaryScore",
                    "signal_without_flag.json", "flagged",
                    "share_above_one.json", "$.discountShare");

    /** The broken examples the typed reader refuses too (a wrong JSON type), with the field. */
    private static final Map<String, String> UNREADABLE =
            Map.of(
                    "not_an_object.json", "ProfileDocument",
                    "orders_not_a_number.json", "orders",
                    "recent_views_not_a_list.json", "recentViews",
                    "affinity_not_a_number.json", "categoryAffinity");

    private static Path dir(String name) {
        try {
            return Paths.get(ProfileDocumentTest.class.getResource("/profiles/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Stream<Path> files(String name) {
        try (Stream<Path> list = Files.list(dir(name))) {
            return list.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Path> validExamples() {
        return files("valid");
    }

    static Stream<Path> invalidExamples() {
        return files("invalid");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<ValidationMessage> schemaErrors(String json) throws IOException {
        return SCHEMA.validate(EventCodec.mapper().readTree(json));
    }

    @ParameterizedTest
    @MethodSource("validExamples")
    void validExamplePassesTheSchemaAndReadsWithoutLosingAField(Path file) throws IOException {
        String json = read(file);
        assertThat(schemaErrors(json)).as(file.getFileName() + " by the schema").isEmpty();

        ProfileDocument document = ProfileDocument.read(json);
        String written = EventCodec.encodeToString(document);
        assertThat(written).as("written back in the job's field order").isEqualTo(json);
        assertThat(schemaErrors(written)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("invalidExamples")
    void brokenExampleFailsTheSchemaWithTheReason(Path file) throws IOException {
        String name = file.getFileName().toString();
        assertThat(INVALID).as("the expected reason of " + name).containsKey(name);
        Set<ValidationMessage> errors = schemaErrors(read(file));
        assertThat(errors).as(name).isNotEmpty();
        assertThat(
                        errors.stream()
                                .map(ValidationMessage::getMessage)
                                .collect(Collectors.joining("; ")))
                .as(name)
                .contains(INVALID.get(name));
    }

    @Test
    void theTypedReaderRefusesWrongTypesNamingTheField() {
        for (Map.Entry<String, String> broken : UNREADABLE.entrySet()) {
            String json = read(dir("invalid").resolve(broken.getKey()));
            assertThatThrownBy(() -> ProfileDocument.read(json))
                    .as(broken.getKey())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(broken.getValue());
        }
        assertThatThrownBy(() -> ProfileDocument.read("null"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("JSON object");
    }

    /** The full example sets every field the type has: the schema lists them in the same order. */
    @Test
    void theSchemaDescribesEveryFieldOfTheTypeInItsOrder() throws IOException {
        List<String> schemaFields = new ArrayList<>();
        SCHEMA.getSchemaNode().get("properties").fieldNames().forEachRemaining(schemaFields::add);
        ProfileDocument full = ProfileDocument.read(read(dir("valid").resolve("customer.json")));
        List<String> written = new ArrayList<>();
        EventCodec.mapper().valueToTree(full).fieldNames().forEachRemaining(written::add);
        assertThat(written).containsExactlyElementsOf(schemaFields);
    }

    @Test
    void aDocumentWithoutOptionalFieldsReadsAsZerosAndUnknowns() throws IOException {
        ProfileDocument bare = ProfileDocument.read("{\"visitorId\":\"anon-1\",\"extra\":1}");
        assertThat(bare.getVisitorId()).isEqualTo("anon-1");
        assertThat(bare.getOrders()).isZero();
        assertThat(bare.getRecentViews()).isEmpty();
        assertThat(bare.getMonetaryScore()).isNull();
        assertThat(bare.getPriceSensitive()).isNull();
        assertThat(bare.getLifecycle()).isNull();
    }
}

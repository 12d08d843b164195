package io.shopkeeper.schemas;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;

/**
 * The JSON Schema files of {@code src/main/resources/schemas} for tests, loaded by their {@code
 * $id} from the class path: the one validator setup of every schema test, here and (through this
 * module's test-jar) in the modules that write events and documents.
 */
public final class SchemaFiles {
    /** Every schema's {@code $id} starts with this; {@code $ref}s between them stay local. */
    public static final String BASE = "https://schemas.shopkeeper.example/";

    private static final JsonSchemaFactory FACTORY =
            JsonSchemaFactory.getInstance(
                    SpecVersion.VersionFlag.V202012,
                    builder ->
                            builder.schemaMappers(
                                    mappers -> mappers.mapPrefix(BASE, "classpath:schemas/")));

    /**
     * Messages name a field as {@code $.a.b}; {@code format} stays an annotation: the codec's
     * date-time is wider than RFC 3339 (seconds optional).
     */
    private static final SchemaValidatorsConfig CONFIG =
            SchemaValidatorsConfig.builder()
                    .pathType(PathType.LEGACY)
                    .formatAssertionsEnabled(false)
                    .build();

    private SchemaFiles() {}

    /** The schema in {@code file}, e.g. {@code event.json}. */
    public static JsonSchema load(String file) {
        return FACTORY.getSchema(SchemaLocation.of(BASE + file), CONFIG);
    }
}

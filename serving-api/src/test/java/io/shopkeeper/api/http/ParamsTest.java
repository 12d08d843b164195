package io.shopkeeper.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.testtools.JavalinTest;
import io.javalin.validation.ValidationException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link Params} takes a valid value straight from the query string and leaves the rest to
 * Javalin's validators: for every query string below, each parameter reads exactly as the validator
 * chain alone reads it (the same value, or a 400 with the same message).
 */
class ParamsTest {

    /** The validator chains {@link Params} used alone before its fast path: the reference. */
    private static int referenceLimit(Context ctx) {
        return ctx.queryParamAsClass("n", Integer.class)
                .check(
                        n -> n >= 1 && n <= Params.MAX_LIMIT,
                        "n must be between 1 and " + Params.MAX_LIMIT)
                .getOrDefault(Params.DEFAULT_LIMIT);
    }

    private static String referenceRequiredId(Context ctx, String name) {
        return ctx.queryParamAsClass(name, String.class)
                .check(v -> !v.isBlank(), name + " must not be blank")
                .check(
                        v -> v.length() <= Params.MAX_ID_LENGTH,
                        name + " must be at most " + Params.MAX_ID_LENGTH + " characters")
                .get();
    }

    private static final List<String> VALUES =
            List.of(
                    "10",
                    "1",
                    "100",
                    "0",
                    "101",
                    "0010",
                    "00100",
                    "9999",
                    "99999",
                    "-5",
                    "+5",
                    " 5",
                    "5 ",
                    "1e2",
                    "ten",
                    "",
                    " ",
                    "\t",
                    "cust-1",
                    "anon-7",
                    "é-ü",
                    "a b",
                    "x".repeat(Params.MAX_ID_LENGTH),
                    "x".repeat(Params.MAX_ID_LENGTH + 1),
                    " ".repeat(3) + "y");

    @Test
    void everyValueReadsAsTheValidatorAloneReadsIt() {
        Javalin app = Javalin.create(config -> config.showJavalinBanner = false);
        app.get("/n", ctx -> ctx.result(compare(ctx, Params::limit, ParamsTest::referenceLimit)));
        app.get(
                "/id",
                ctx ->
                        ctx.result(
                                compare(
                                        ctx,
                                        c -> Params.requiredQueryId(c, "id"),
                                        c -> referenceRequiredId(c, "id"))));
        List<String> queries = new ArrayList<>();
        queries.add("");
        queries.add("?other=1");
        for (String value : VALUES) {
            String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
            queries.add("?PARAM=" + encoded);
            queries.add("?PARAM=" + encoded + "&PARAM=7");
        }
        queries.add("?PARAM");
        JavalinTest.test(
                app,
                (server, client) -> {
                    for (String route : List.of("n", "id")) {
                        for (String query : queries) {
                            String path = "/" + route + query.replace("PARAM", route);
                            String body = client.get(path).body().string();
                            assertThat(body).as(path).startsWith("same:");
                        }
                    }
                });
    }

    /**
     * {@link Params#query} reads every parameter of a raw query string as Javalin's {@code
     * queryParam} does, the shapes its own parse handles and the ones it leaves to Javalin.
     */
    @Test
    void rawQueryReadsAsJavalinReadsIt() {
        List<String> names = List.of("a", "ab", "b", "", "A", "x");
        Javalin app = Javalin.create(config -> config.showJavalinBanner = false);
        app.get(
                "/q",
                ctx -> {
                    StringBuilder differences = new StringBuilder();
                    for (String name : names) {
                        String fast = Params.query(ctx, name);
                        String javalin = ctx.queryParam(name);
                        if (!java.util.Objects.equals(fast, javalin))
                            differences
                                    .append(name)
                                    .append(": ")
                                    .append(fast)
                                    .append(" / ")
                                    .append(javalin)
                                    .append("; ");
                    }
                    ctx.result(differences.isEmpty() ? "same" : differences.toString());
                });
        List<String> queries =
                List.of(
                        "",
                        "?",
                        "?a=1",
                        "?a=1&a=2",
                        "?ab=1&a=2",
                        "?a=2&ab=1",
                        "?aa=1&xa=2&a=3",
                        "?a",
                        "?a&b=2",
                        "?a=&b=",
                        "?a==b",
                        "?=1&a=2",
                        "?&&a=1&",
                        "?a=1&",
                        "?A=1&a=2",
                        "?a=x%41y&b=2",
                        "?a=x+y&b=2",
                        "?a%3D=1&a=2",
                        "?a=%zz",
                        "?a=caf%C3%A9",
                        "?a=1;b=2",
                        "?b=a=1&a=b=2");
        JavalinTest.test(
                app,
                (server, client) -> {
                    for (String query : queries) {
                        assertThat(client.get("/q" + query).body().string())
                                .as(query)
                                .isEqualTo("same");
                        // A charset Javalin cannot decode with makes every value null.
                        for (String type :
                                List.of("text/plain; charset=bogus", "text/plain; charset=UTF-8"))
                            assertThat(
                                            client.get(
                                                            "/q" + query,
                                                            r -> r.header("Content-Type", type))
                                                    .body()
                                                    .string())
                                    .as(query + " " + type)
                                    .isEqualTo("same");
                    }
                });
    }

    /** "same: value" when both read the same value or fail with the same errors, else the two. */
    private static <T> String compare(
            Context ctx, Function<Context, T> fast, Function<Context, T> reference) {
        String a = outcome(ctx, fast);
        String b = outcome(ctx, reference);
        return a.equals(b) ? "same: " + a : "fast path: " + a + " / validator: " + b;
    }

    private static <T> String outcome(Context ctx, Function<Context, T> read) {
        try {
            return "value " + read.apply(ctx);
        } catch (ValidationException e) {
            return "400 " + ErrorMappers.describe(e);
        }
    }
}

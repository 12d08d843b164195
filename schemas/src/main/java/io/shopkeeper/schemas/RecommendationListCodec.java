package io.shopkeeper.schemas;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a {@link RecommendationList} in Redis: the job writes it, the API reads it.
 * Compact, so a visitor's list of 20 items stays well under 1 KB in Redis:
 *
 * <pre>
 * {"subject":"cust-1","strategy":"session","updatedAt":1764000000000,
 *  "items":[["i7",0.5,"s:i3"],["i3",0.25,"v"],["i9",0.0,"p"]]}
 * </pre>
 *
 * Each item is {@code [itemId, score]} or {@code [itemId, score, reason code]}. Reason codes
 * ({@link #encodeReason}): {@code s:X} = {@code similar_to:X}, {@code v:X} = {@code
 * because_you_viewed:X} and {@code v} alone when X is the item itself, {@code p} = {@code popular},
 * {@code t} = {@code trending}, {@code t:C} = {@code trending_in:C}, {@code b:X} = {@code
 * bought_together:X}; any other reason is stored as {@code =reason}. Decoding gives back exactly
 * the list that was encoded, and also reads the older form (items as {@link ScoredItem} objects),
 * so lists written before the change are served until they are rewritten.
 */
public final class RecommendationListCodec {
    private static final JsonFactory JSON = EventCodec.mapper().getFactory();

    /**
     * The factory lists are read with: the mapper's, its numbers parsed by Jackson's fast double
     * parser (FastDoubleParser: correctly rounded, so the same double as {@code Double.parseDouble}
     * of the text, bit for bit) straight from the parser's characters. {@code Double.parseDouble}
     * first made a String of each score and then its own digit buffers: the API decodes a visitor's
     * list of 20 scores on every request.
     */
    private static final JsonFactory READ =
            JSON.rebuild().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    /** Long reason prefixes and their codes, in the order they are tried. */
    private static final String[][] PREFIXES = {
        {"similar_to:", "s:"},
        {"because_you_viewed:", "v:"},
        {"trending_in:", "t:"},
        {"bought_together:", "b:"},
    };

    private static final String[][] WHOLE = {
        {"popular", "p"},
        {"trending", "t"},
    };

    private static final String VIEWED_ITSELF = "v";
    private static final String LITERAL = "=";

    private RecommendationListCodec() {}

    /**
     * The stored form of {@code list}: the text Jackson's generator writes for it (below), built
     * directly when no text in it needs escaping and every score is finite (item ids, subjects and
     * reasons in practice), else by the generator. Both give the same characters: Jackson escapes
     * only characters below 0x20, {@code "} and {@code \\} (and writes the others as they are),
     * writes a {@code long} as {@link Long#toString(long)} and a finite {@code double} as {@link
     * Double#toString(double)}. The similar-items lists of the job's item models are encoded on
     * every publish, a visitor's list on every ranking.
     */
    public static String encode(RecommendationList list) {
        String plain = encodePlain(list);
        return plain != null ? plain : encodeWithGenerator(list);
    }

    /** {@link #encode}'s text built directly, or null when the generator must write it. */
    private static String encodePlain(RecommendationList list) {
        List<ScoredItem> items = list.getItems();
        String subject = list.getSubject(), strategy = list.getStrategy();
        StringBuilder out = new StringBuilder(64 + 40 * items.size());
        out.append('{');
        if (subject != null) {
            if (!plain(subject)) return null;
            out.append("\"subject\":\"").append(subject).append("\",");
        }
        if (strategy != null) {
            if (!plain(strategy)) return null;
            out.append("\"strategy\":\"").append(strategy).append("\",");
        }
        out.append("\"updatedAt\":").append(list.getUpdatedAt()).append(",\"items\":[");
        for (int i = 0, n = items.size(); i < n; i++) {
            ScoredItem item = items.get(i);
            String itemId = item.getItemId();
            double score = item.getScore();
            if (itemId == null || !plain(itemId) || !Double.isFinite(score)) return null;
            if (i > 0) out.append(',');
            out.append("[\"").append(itemId).append("\",");
            appendScore(score, out);
            if (item.getReason() != null) {
                String code = encodeReason(itemId, item.getReason());
                if (!plain(code)) return null;
                out.append(",\"").append(code).append('"');
            }
            out.append(']');
        }
        return out.append("]}").toString();
    }

    /** Whether Jackson writes {@code text} as it is between quotes (nothing to escape). */
    private static boolean plain(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') return false;
        }
        return true;
    }

    /** {@link #appendScore} writes the digits itself below this many ten-thousandths (1,000). */
    static final long DIGITS_BELOW_UNITS = 10_000_000;

    /**
     * Appends {@link Double#toString(double)} of a finite {@code score}. A score rounded to four
     * decimals ({@link ScoredItem#roundScore}: every score of a stored list) from 0.001 to below
     * 1,000 is written digit by digit, without a String: its text is its decimal digits (the
     * integer part, a point, the four decimals without trailing zeros, at least one), as {@link
     * Double#toString(double)} writes it for each of them (checked for every one); others as {@link
     * #scoreText}.
     */
    static void appendScore(double score, StringBuilder out) {
        if (score >= 0.001 && score < DIGITS_BELOW_UNITS / 10_000.0) {
            long units = Math.round(score * 10_000);
            if (units / 10_000.0 == score) {
                out.append(units / 10_000).append('.');
                int decimals = (int) (units % 10_000);
                if (decimals == 0) {
                    out.append('0');
                    return;
                }
                for (int unit = 1000; decimals != 0; unit /= 10) {
                    out.append((char) ('0' + decimals / unit));
                    decimals %= unit;
                }
                return;
            }
        }
        out.append(scoreText(score));
    }

    /**
     * {@link Double#toString} of the scores 0.0001 to 1 in steps of 0.0001, made when first met.
     */
    private static final String[] ROUNDED_SCORES = new String[10_001];

    /**
     * {@link Double#toString(double)} of a finite {@code score}; the text of a score rounded to
     * four decimals in (0, 1] ({@link ScoredItem#roundScore}: every similar-items score, most of a
     * visitor's) is made once and kept (a race only makes the same text twice), and so is 0.0.
     */
    static String scoreText(double score) {
        if (score > 0 && score <= 1) {
            long units = Math.round(score * 10_000);
            if (units / 10_000.0 == score) {
                int at = (int) units;
                String text = ROUNDED_SCORES[at];
                if (text == null) ROUNDED_SCORES[at] = text = Double.toString(score);
                return text;
            }
        }
        // a similar item's score rounds to 0 when its weight is below 1/20,000 of the best
        return Double.doubleToRawLongBits(score) == 0 ? "0.0" : Double.toString(score);
    }

    /** {@link #encode}'s text as Jackson's generator writes it: any list. */
    static String encodeWithGenerator(RecommendationList list) {
        StringWriter out = new StringWriter(256 + 32 * list.getItems().size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            if (list.getSubject() != null) g.writeStringField("subject", list.getSubject());
            if (list.getStrategy() != null) g.writeStringField("strategy", list.getStrategy());
            g.writeNumberField("updatedAt", list.getUpdatedAt());
            g.writeArrayFieldStart("items");
            for (ScoredItem item : list.getItems()) {
                g.writeStartArray();
                g.writeString(item.getItemId());
                g.writeNumber(item.getScore());
                if (item.getReason() != null)
                    g.writeString(encodeReason(item.getItemId(), item.getReason()));
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * The list stored as {@code json} (either form).
     *
     * @throws IOException when it is not a stored list
     */
    public static RecommendationList decode(String json) throws IOException {
        try (JsonParser p = READ.createParser(json)) {
            return decode(p);
        }
    }

    /**
     * The list stored as {@code utf8} (either form), as Redis returns it: the same list as {@link
     * #decode(String)} of its text, without making the text first.
     *
     * @throws IOException when it is not a stored list (or not UTF-8)
     */
    public static RecommendationList decode(byte[] utf8) throws IOException {
        RecommendationList plain = PlainReader.read(utf8);
        return plain != null ? plain : decodeWithParser(utf8);
    }

    /** {@link #decode(byte[])} by Jackson's parser, whatever the form. */
    static RecommendationList decodeWithParser(byte[] utf8) throws IOException {
        try (JsonParser p = READ.createParser(utf8)) {
            return decode(p);
        }
    }

    /**
     * Reads the compact form exactly as {@link #encode} writes it for a plain list (fields in its
     * order, no white space, ASCII text without escapes) without a JSON parser; anything else is
     * left to the parser ({@link #read} returns null), so the list read is always the one the
     * parser reads. The API decodes a visitor's list on every request: the parser's set-up and
     * token loop were about half of the decoding's time. A score of at most 15 digits without
     * exponent (a rounded score) is the quotient of its digits as a long (below 2^53) and a power
     * of ten (at most 10^22): both exact, and IEEE division rounds correctly, so it is the double
     * {@code Double.parseDouble} (and the parser) reads from the same text; other scores are read
     * by {@code Double.parseDouble}.
     */
    static final class PlainReader {
        private static final ThreadLocal<char[]> BUFFER =
                ThreadLocal.withInitial(() -> new char[1024]);

        private static final double[] POWERS_OF_TEN = new double[23];

        static {
            POWERS_OF_TEN[0] = 1;
            for (int i = 1; i < POWERS_OF_TEN.length; i++)
                POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }

        private final char[] c;
        private final int n;
        private int at;

        private PlainReader(char[] c, int n) {
            this.c = c;
            this.n = n;
        }

        /**
         * Longest form read here (8 KB covers 200 items): the buffer kept per thread is bounded.
         */
        static final int MAX_BYTES = 16_384;

        /** The list, or null when {@code utf8} is not the plain compact form. */
        static RecommendationList read(byte[] utf8) {
            int n = utf8.length;
            if (n > MAX_BYTES) return null;
            char[] c = BUFFER.get();
            if (c.length < n)
                BUFFER.set(c = new char[Math.min(MAX_BYTES, Math.max(n, 2 * c.length))]);
            for (int i = 0; i < n; i++) {
                byte b = utf8[i];
                // control characters and non-ASCII bytes (negative) go to the parser, as escapes do
                if (b < 0x20 || b == '\\') return null;
                c[i] = (char) b;
            }
            return new PlainReader(c, n).list();
        }

        private RecommendationList list() {
            if (!take("{")) return null;
            RecommendationList list = new RecommendationList();
            if (take("\"subject\":\"")) {
                int from = at;
                if (!string() || !take(",")) return null;
                list.setSubject(new String(c, from, at - from - 2));
            }
            if (take("\"strategy\":\"")) {
                int from = at;
                if (!string() || !take(",")) return null;
                list.setStrategy(new String(c, from, at - from - 2));
            }
            if (!take("\"updatedAt\":")) return null;
            int from = at;
            if (!integer() || at - from > 20) return null;
            try {
                list.setUpdatedAt(Long.parseLong(new String(c, from, at - from)));
            } catch (NumberFormatException beyondLong) {
                return null;
            }
            if (!take(",\"items\":[")) return null;
            List<ScoredItem> items = new ArrayList<>();
            if (!take("]")) {
                do {
                    ScoredItem item = item();
                    if (item == null) return null;
                    items.add(item);
                } while (take(","));
                if (!take("]")) return null;
            }
            if (!take("}") || at != n) return null;
            list.setItems(items);
            return list;
        }

        /**
         * {@code ["id",score]} or {@code ["id",score,"code"]}, as {@link #compactItem} reads it.
         */
        private ScoredItem item() {
            if (!take("[\"")) return null;
            int idFrom = at;
            if (!string()) return null;
            String itemId = itemId(c, idFrom, at - idFrom - 1);
            if (!take(",")) return null;
            int numberFrom = at;
            if (!number()) return null;
            double score = score(numberFrom, at);
            if (Double.isNaN(score)) return null;
            String reason = null;
            if (take(",\"")) {
                int codeFrom = at;
                if (!string()) return null;
                reason = decodeReason(itemId, c, codeFrom, at - codeFrom - 1);
            }
            return take("]") ? new ScoredItem(itemId, score, reason) : null;
        }

        /** Whether {@code literal} comes next (then taken). */
        private boolean take(String literal) {
            int len = literal.length();
            if (n - at < len) return false;
            for (int i = 0; i < len; i++) if (c[at + i] != literal.charAt(i)) return false;
            at += len;
            return true;
        }

        /** A string's rest after its opening quote, up to and with its closing quote. */
        private boolean string() {
            while (at < n) if (c[at++] == '"') return true;
            return false;
        }

        /** A JSON integer: an optional minus, then 0 or a digit from 1 and more digits. */
        private boolean integer() {
            if (at < n && c[at] == '-') at++;
            if (at >= n || !digit(c[at])) return false;
            if (c[at++] == '0') return at >= n || !digit(c[at]);
            while (at < n && digit(c[at])) at++;
            return true;
        }

        /** A JSON number: an integer, then optionally a dot and digits, and an exponent. */
        private boolean number() {
            if (!integer()) return false;
            if (at < n && c[at] == '.') {
                at++;
                if (at >= n || !digit(c[at])) return false;
                while (at < n && digit(c[at])) at++;
            }
            if (at < n && (c[at] == 'e' || c[at] == 'E')) {
                at++;
                if (at < n && (c[at] == '+' || c[at] == '-')) at++;
                if (at >= n || !digit(c[at])) return false;
                while (at < n && digit(c[at])) at++;
            }
            return true;
        }

        /**
         * The double of the number in {@code c[from, to)} as the parser reads it: an integer as its
         * long's double (so -0 is 0.0), a short decimal as a quotient (above), any other as {@code
         * Double.parseDouble} reads it; NaN (left to the parser) for an integer of over 18 digits
         * or a number of over 100 characters.
         */
        private double score(int from, int to) {
            if (to - from > 100) return Double.NaN;
            boolean negative = c[from] == '-';
            long digits = 0;
            int count = 0, fraction = -1;
            boolean exponent = false;
            for (int i = negative ? from + 1 : from; i < to && !exponent; i++) {
                char d = c[i];
                if (d == '.') {
                    fraction = 0;
                } else if (d == 'e' || d == 'E') {
                    exponent = true;
                } else {
                    if (++count <= 18) digits = digits * 10 + (d - '0');
                    if (fraction >= 0) fraction++;
                }
            }
            if (fraction < 0 && !exponent) {
                if (count > 18) return Double.NaN;
                return negative ? -digits : digits;
            }
            if (exponent || count > 15 || fraction > 22)
                return Double.parseDouble(new String(c, from, to - from));
            double value = digits / POWERS_OF_TEN[fraction];
            return negative ? -value : value;
        }

        private static boolean digit(char d) {
            return d >= '0' && d <= '9';
        }
    }

    private static RecommendationList decode(JsonParser p) throws IOException {
        RecommendationList list = new RecommendationList();
        expect(p.nextToken(), JsonToken.START_OBJECT);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "subject" -> list.setSubject(textOrNull(p, value));
                case "strategy" -> list.setStrategy(textOrNull(p, value));
                case "updatedAt" -> list.setUpdatedAt(p.getValueAsLong());
                case "items" -> list.setItems(items(p, value));
                default -> p.skipChildren();
            }
        }
        return list;
    }

    private static List<ScoredItem> items(JsonParser p, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) return new ArrayList<>();
        expect(token, JsonToken.START_ARRAY);
        List<ScoredItem> items = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            items.add(
                    t == JsonToken.START_ARRAY
                            ? compactItem(p)
                            : EventCodec.mapper().readValue(p, ScoredItem.class));
        }
        return items;
    }

    private static ScoredItem compactItem(JsonParser p) throws IOException {
        expect(p.nextToken(), JsonToken.VALUE_STRING);
        String itemId = itemId(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        p.nextToken();
        double score = p.getValueAsDouble();
        String reason = null;
        JsonToken t = p.nextToken();
        if (t != JsonToken.END_ARRAY) {
            reason =
                    t == JsonToken.VALUE_STRING
                            ? decodeReason(
                                    itemId,
                                    p.getTextCharacters(),
                                    p.getTextOffset(),
                                    p.getTextLength())
                            : decodeReason(itemId, textOrNull(p, t));
            while (p.nextToken() != JsonToken.END_ARRAY) p.skipChildren();
        }
        return new ScoredItem(itemId, score, reason);
    }

    /** The short code stored for {@code reason} of {@code itemId} (see the class comment). */
    static String encodeReason(String itemId, String reason) {
        if (reason.length() == 19 + itemId.length()
                && reason.startsWith("because_you_viewed:")
                && reason.endsWith(itemId)) return VIEWED_ITSELF;
        for (String[] whole : WHOLE) if (reason.equals(whole[0])) return whole[1];
        for (String[] prefix : PREFIXES)
            if (reason.startsWith(prefix[0]))
                return prefix[1] + reason.substring(prefix[0].length());
        return LITERAL + reason;
    }

    /** The reason a stored code stands for. */
    static String decodeReason(String itemId, String code) {
        if (code == null) return null;
        if (code.startsWith(LITERAL)) return code.substring(1);
        if (code.equals(VIEWED_ITSELF)) return "because_you_viewed:" + itemId;
        for (String[] whole : WHOLE) if (code.equals(whole[1])) return whole[0];
        for (String[] prefix : PREFIXES)
            if (code.startsWith(prefix[1])) return prefix[0] + code.substring(prefix[1].length());
        return code;
    }

    /** Item ids met before, by their characters: a visitor's list names catalog items. */
    private static final TextCache IDS = new TextCache(1 << 14);

    /**
     * The item id in {@code chars[offset, offset + length)} (a parser's characters) as text: the
     * text kept since the id was first met, by this codec or another reader of item ids (the API's
     * profile facts), else a new one, kept. Equal ids read this way are mostly the same String.
     */
    public static String itemId(char[] chars, int offset, int length) {
        return IDS.text(chars, offset, length);
    }

    /**
     * Reasons met before (e.g. {@code similar_to:X}), by their code's characters: the reasons of
     * visitors' lists repeat (one per catalog item and kind).
     */
    private static final TextCache REASONS = new TextCache(1 << 14);

    /** Room for an expanded reason, per thread (the API decodes lists on its request threads). */
    private static final ThreadLocal<StringBuilder> REASON =
            ThreadLocal.withInitial(() -> new StringBuilder(64));

    /**
     * {@link #decodeReason(String, String)} of the code in {@code chars[offset, offset + length)}
     * (the parser's buffer), without making the code's text: the long prefix and the rest joined in
     * one builder, {@code popular} and {@code trending} the constants. The API expands the reasons
     * of a visitor's 20 items on every request; the code's text, its rest and their join were three
     * strings per item.
     */
    static String decodeReason(String itemId, char[] chars, int offset, int length) {
        if (length == 1) {
            char c = chars[offset];
            if (c == 'v') return "because_you_viewed:" + itemId;
            if (c == 'p') return WHOLE[0][0];
            if (c == 't') return WHOLE[1][0];
        } else if (length > 1) {
            String known = REASONS.known(chars, offset, length);
            if (known != null) return known;
            String reason = expand(chars, offset, length);
            REASONS.keep(chars, offset, length, reason);
            return reason;
        }
        return length > 0 && chars[offset] == '='
                ? new String(chars, offset + 1, length - 1)
                : new String(chars, offset, length);
    }

    /** A code of two or more characters expanded (see {@link #decodeReason(String, String)}). */
    private static String expand(char[] chars, int offset, int length) {
        char c = chars[offset];
        if (c == '=') return new String(chars, offset + 1, length - 1);
        if (chars[offset + 1] == ':') {
            for (String[] prefix : PREFIXES) {
                if (prefix[1].charAt(0) == c) {
                    StringBuilder reason = REASON.get();
                    reason.setLength(0);
                    return reason.append(prefix[0])
                            .append(chars, offset + 2, length - 2)
                            .toString();
                }
            }
        }
        return new String(chars, offset, length);
    }

    private static String textOrNull(JsonParser p, JsonToken token) throws IOException {
        return token == JsonToken.VALUE_NULL ? null : p.getValueAsString();
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected)
            throw new IOException("stored list: expected " + expected + ", found " + actual);
    }
}

package io.shopkeeper.schemas.offers;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.offers.Campaign.Cap;
import io.shopkeeper.schemas.offers.Campaign.Channel;
import io.shopkeeper.schemas.offers.Campaign.OfferKind;
import io.shopkeeper.schemas.offers.Campaign.OfferSpec;
import io.shopkeeper.schemas.offers.Campaign.Status;
import io.shopkeeper.schemas.offers.Campaign.Trigger;
import io.shopkeeper.schemas.offers.Campaign.TriggerType;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decodes and validates campaign definitions; the API and the job both read them through it, so a
 * campaign the API stores is one the job can run. Contract: a bad definition is rejected with one
 * message naming the field and what was expected; unknown fields are rejected too (a misspelt
 * {@code holdoutPercnt} must not silently mean "no holdout"); decoding never throws. Defaults are
 * filled in, so the stored definition says everything the job will do.
 */
public final class CampaignCodec {
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    public static final Pattern SEGMENT = Pattern.compile("[a-z0-9_]{1,64}");
    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_MESSAGE_LENGTH = 500;

    public static final String DEFAULT_AFTER = "PT30M";
    public static final String DEFAULT_WITHIN = "P14D";
    public static final double DEFAULT_MIN_DROP_PERCENT = 10;
    public static final String DEFAULT_VALID_FOR = "P2D";
    public static final Cap DEFAULT_CAP = new Cap(1, "P7D");
    public static final int DEFAULT_HOLDOUT_PERCENT = 10;
    public static final int MAX_HOLDOUT_PERCENT = 50;
    public static final String DEFAULT_CONVERSION_WINDOW = "P7D";
    public static final int MAX_PRIORITY = 1000;

    private static final Set<String> FIELDS =
            Set.of(
                    "id",
                    "name",
                    "trigger",
                    "audience",
                    "offer",
                    "allowFullPriceCustomers",
                    "channel",
                    "cap",
                    "holdoutPercent",
                    "conversionWindow",
                    "priority",
                    "status",
                    "startsAt",
                    "endsAt",
                    "version",
                    "updatedAt");
    private static final Set<String> TRIGGER_FIELDS =
            Set.of("type", "after", "within", "minDropPercent", "segment");
    private static final Set<String> OFFER_FIELDS =
            Set.of("kind", "discountPercent", "discountAmount", "validFor", "message", "headline");
    private static final Set<String> CAP_FIELDS = Set.of("perCustomer", "per");

    /** The outcome of decoding: exactly one of {@code campaign} and {@code error} is non-null. */
    public record Result(Campaign campaign, String error) {
        public boolean isValid() {
            return campaign != null;
        }
    }

    private CampaignCodec() {}

    public static Result decode(String json) {
        if (json == null || json.isBlank()) return new Result(null, "empty campaign definition");
        try {
            return decode(EventCodec.mapper().readTree(json));
        } catch (IOException e) {
            String message = e.getMessage() == null ? "unreadable" : e.getMessage();
            int newline = message.indexOf('\n');
            return new Result(
                    null,
                    "malformed JSON: " + (newline < 0 ? message : message.substring(0, newline)));
        }
    }

    public static Result decode(JsonNode node) {
        if (node == null || !node.isObject()) {
            return new Result(null, "a campaign must be a JSON object");
        }
        try {
            return new Result(read(new Fields(node, "")), null);
        } catch (InvalidCampaignException e) {
            return new Result(null, e.getMessage());
        }
    }

    /** The definition, with its defaults, as stored and published. */
    public static String encode(Campaign campaign) {
        return EventCodec.encodeToString(campaign);
    }

    private static Campaign read(Fields f) {
        f.onlyKnown(FIELDS);
        String id = f.requiredText("id", 64);
        if (!ID.matcher(id).matches()) {
            throw new InvalidCampaignException(
                    "id must be 1-64 lower-case letters, digits, '-' or '_', starting with a letter"
                            + " or digit; got '"
                            + id
                            + "'");
        }
        String name = f.requiredText("name", MAX_NAME_LENGTH);
        Trigger trigger = trigger(f.requiredObject("trigger"));
        String audience = f.optionalText("audience", Audience.MAX_LENGTH);
        try {
            Audience.of(audience);
        } catch (IllegalArgumentException e) {
            throw new InvalidCampaignException(e.getMessage());
        }
        OfferSpec offer = offer(f.requiredObject("offer"));
        boolean allowFullPrice = f.optionalBoolean("allowFullPriceCustomers", false);
        Channel channel = f.optionalEnum("channel", Channel.class, Channel.ONSITE);
        Cap cap = cap(f.optionalObject("cap"));
        int holdout =
                f.optionalInt("holdoutPercent", 0, MAX_HOLDOUT_PERCENT, DEFAULT_HOLDOUT_PERCENT);
        String window =
                f.optionalDuration(
                        "conversionWindow",
                        Duration.ofHours(1),
                        Duration.ofDays(90),
                        DEFAULT_CONVERSION_WINDOW);
        int priority = f.optionalInt("priority", 0, MAX_PRIORITY, 0);
        Status status = f.optionalEnum("status", Status.class, Status.DRAFT);
        Instant startsAt = f.optionalInstant("startsAt");
        Instant endsAt = f.optionalInstant("endsAt");
        if (startsAt != null && endsAt != null && !endsAt.isAfter(startsAt)) {
            throw new InvalidCampaignException("endsAt must be after startsAt");
        }
        long version = f.optionalLong("version", 0);
        Instant updatedAt = f.optionalInstant("updatedAt");
        return new Campaign(
                id,
                name,
                trigger,
                audience,
                offer,
                allowFullPrice,
                channel,
                cap,
                holdout,
                window,
                priority,
                status,
                startsAt,
                endsAt,
                version,
                updatedAt);
    }

    private static Trigger trigger(Fields f) {
        f.onlyKnown(TRIGGER_FIELDS);
        TriggerType type = f.requiredEnum("type", TriggerType.class);
        String after = null;
        String within = null;
        Double minDrop = null;
        String segment = null;
        switch (type) {
            case CART_ABANDONED ->
                    after =
                            f.optionalDuration(
                                    "after",
                                    Duration.ofMinutes(1),
                                    Duration.ofDays(7),
                                    DEFAULT_AFTER);
            case PRICE_DROP, BACK_IN_STOCK -> {
                within =
                        f.optionalDuration(
                                "within", Duration.ofHours(1), Duration.ofDays(30), DEFAULT_WITHIN);
                if (type == TriggerType.PRICE_DROP) {
                    minDrop =
                            f.optionalNumber(
                                    "minDropPercent", 0, 100, false, DEFAULT_MIN_DROP_PERCENT);
                }
            }
            case SEGMENT_JOINED -> {
                segment = f.requiredText("segment", 64);
                if (!SEGMENT.matcher(segment).matches()) {
                    throw new InvalidCampaignException(
                            f.path("segment")
                                    + " must match [a-z0-9_]{1,64}; got '"
                                    + segment
                                    + "'");
                }
            }
            default -> {}
        }
        f.notFor("after", type, after);
        f.notFor("within", type, within);
        f.notFor("minDropPercent", type, minDrop);
        f.notFor("segment", type, segment);
        return new Trigger(type, after, within, minDrop, segment);
    }

    private static OfferSpec offer(Fields f) {
        f.onlyKnown(OFFER_FIELDS);
        OfferKind kind = f.requiredEnum("kind", OfferKind.class);
        Double percent = null;
        Double amount = null;
        String message = f.optionalText("message", MAX_MESSAGE_LENGTH);
        String headline = null;
        String validFor =
                f.optionalDuration(
                        "validFor", Duration.ofMinutes(10), Duration.ofDays(90), DEFAULT_VALID_FOR);
        switch (kind) {
            case COUPON -> {
                percent = f.optionalNumber("discountPercent", 0, 100, false, null);
                amount = f.optionalNumber("discountAmount", 0, 1_000_000, true, null);
                if ((percent == null) == (amount == null)) {
                    throw new InvalidCampaignException(
                            "a coupon needs exactly one of offer.discountPercent and"
                                    + " offer.discountAmount");
                }
            }
            case MESSAGE -> {
                if (message == null) {
                    throw new InvalidCampaignException(
                            "offer.message is required for a message offer");
                }
            }
            case RECOMMENDATIONS -> headline = f.requiredText("headline", MAX_MESSAGE_LENGTH);
        }
        for (String field : List.of("discountPercent", "discountAmount")) {
            if (kind != OfferKind.COUPON && f.has(field)) {
                throw new InvalidCampaignException(
                        "offer." + field + " is only for coupon offers, not " + kind.wireName());
            }
        }
        if (kind != OfferKind.RECOMMENDATIONS && f.has("headline")) {
            throw new InvalidCampaignException(
                    "offer.headline is only for recommendations offers, not " + kind.wireName());
        }
        return new OfferSpec(kind, percent, amount, validFor, message, headline);
    }

    private static Cap cap(Fields f) {
        if (f == null) return DEFAULT_CAP;
        f.onlyKnown(CAP_FIELDS);
        Integer perCustomer = f.requiredInt("perCustomer", 1, 100);
        String per = f.requiredDuration("per", Duration.ofHours(1), Duration.ofDays(365));
        return new Cap(perCustomer, per);
    }

    /** Typed, validating access to one JSON object; messages name the field by its path. */
    private record Fields(JsonNode node, String prefix) {

        String path(String name) {
            return prefix + name;
        }

        boolean has(String name) {
            JsonNode v = node.get(name);
            return v != null && !v.isNull();
        }

        void onlyKnown(Set<String> known) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!known.contains(name)) {
                    throw new InvalidCampaignException(
                            "unknown field '"
                                    + path(name)
                                    + "'; expected one of "
                                    + known.stream().sorted().toList());
                }
            }
        }

        void notFor(String name, TriggerType type, Object used) {
            if (used == null && has(name)) {
                throw new InvalidCampaignException(
                        path(name) + " does not apply to a " + type.wireName() + " trigger");
            }
        }

        Fields requiredObject(String name) {
            Fields f = optionalObject(name);
            if (f == null) throw new InvalidCampaignException(path(name) + " is required");
            return f;
        }

        Fields optionalObject(String name) {
            if (!has(name)) return null;
            JsonNode v = node.get(name);
            if (!v.isObject())
                throw new InvalidCampaignException(path(name) + " must be an object");
            return new Fields(v, path(name) + ".");
        }

        String requiredText(String name, int maxLength) {
            String value = optionalText(name, maxLength);
            if (value == null) throw new InvalidCampaignException(path(name) + " is required");
            return value;
        }

        String optionalText(String name, int maxLength) {
            if (!has(name)) return null;
            JsonNode v = node.get(name);
            if (!v.isTextual())
                throw new InvalidCampaignException(path(name) + " must be a string");
            String text = v.textValue().strip();
            if (text.isEmpty())
                throw new InvalidCampaignException(path(name) + " must not be blank");
            if (text.length() > maxLength) {
                throw new InvalidCampaignException(
                        path(name) + " is longer than " + maxLength + " characters");
            }
            return text;
        }

        boolean optionalBoolean(String name, boolean defaultValue) {
            if (!has(name)) return defaultValue;
            JsonNode v = node.get(name);
            if (!v.isBoolean()) {
                throw new InvalidCampaignException(path(name) + " must be true or false");
            }
            return v.booleanValue();
        }

        Integer requiredInt(String name, int min, int max) {
            if (!has(name)) throw new InvalidCampaignException(path(name) + " is required");
            return optionalInt(name, min, max, 0);
        }

        int optionalInt(String name, int min, int max, int defaultValue) {
            if (!has(name)) return defaultValue;
            JsonNode v = node.get(name);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new InvalidCampaignException(path(name) + " must be an integer");
            }
            int value = v.intValue();
            if (value < min || value > max) {
                throw new InvalidCampaignException(
                        path(name) + " must be between " + min + " and " + max + "; got " + value);
            }
            return value;
        }

        long optionalLong(String name, long defaultValue) {
            if (!has(name)) return defaultValue;
            JsonNode v = node.get(name);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new InvalidCampaignException(path(name) + " must be an integer >= 0");
            }
            return v.longValue();
        }

        /** A number above {@code min} and below {@code max} (or at most, when maxInclusive). */
        Double optionalNumber(
                String name, double min, double max, boolean maxInclusive, Double defaultValue) {
            if (!has(name)) return defaultValue;
            JsonNode v = node.get(name);
            if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
                throw new InvalidCampaignException(path(name) + " must be a number");
            }
            double value = v.doubleValue();
            if (value <= min || (maxInclusive ? value > max : value >= max)) {
                throw new InvalidCampaignException(
                        path(name)
                                + " must be greater than "
                                + fmt(min)
                                + " and "
                                + (maxInclusive ? "at most " : "less than ")
                                + fmt(max)
                                + "; got "
                                + v.asText());
            }
            return value;
        }

        <E extends Enum<E>> E requiredEnum(String name, Class<E> type) {
            E value = optionalEnum(name, type, null);
            if (value == null) {
                throw new InvalidCampaignException(
                        path(name) + " is required; expected one of " + wireNames(type));
            }
            return value;
        }

        <E extends Enum<E>> E optionalEnum(String name, Class<E> type, E defaultValue) {
            String text = optionalText(name, 64);
            if (text == null) return defaultValue;
            for (E constant : type.getEnumConstants()) {
                if (constant.name().toLowerCase(Locale.ROOT).equals(text)) return constant;
            }
            throw new InvalidCampaignException(
                    path(name) + " '" + text + "' is not one of " + wireNames(type));
        }

        String requiredDuration(String name, Duration min, Duration max) {
            if (!has(name)) throw new InvalidCampaignException(path(name) + " is required");
            return optionalDuration(name, min, max, null);
        }

        /** An ISO-8601 duration in {@code min..max}, kept as written. */
        String optionalDuration(String name, Duration min, Duration max, String defaultValue) {
            String text = optionalText(name, 64);
            if (text == null) return defaultValue;
            Duration d;
            try {
                d = Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw new InvalidCampaignException(
                        path(name)
                                + " must be an ISO-8601 duration in days, hours, minutes or seconds,"
                                + " e.g. P7D or PT30M; got '"
                                + text
                                + "'");
            }
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new InvalidCampaignException(
                        path(name) + " must be between " + min + " and " + max + "; got " + text);
            }
            return text;
        }

        Instant optionalInstant(String name) {
            String text = optionalText(name, 64);
            if (text == null) return null;
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw new InvalidCampaignException(
                        path(name)
                                + " must be ISO-8601 with a zone offset, e.g. 2026-11-22T10:15:30Z;"
                                + " got '"
                                + text
                                + "'");
            }
        }

        private static String fmt(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }

    static <E extends Enum<E>> List<String> wireNames(Class<E> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT))
                .toList();
    }

    private static final class InvalidCampaignException extends RuntimeException {
        InvalidCampaignException(String message) {
            super(message, null, false, false);
        }
    }
}

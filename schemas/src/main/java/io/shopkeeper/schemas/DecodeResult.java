package io.shopkeeper.schemas;

/**
 * The outcome of decoding one record: either a valid event or the reason it was rejected. Exactly
 * one of {@link #event()} and {@link #error()} is non-null.
 */
public record DecodeResult(ShopEvent event, String error) {

    public static DecodeResult ok(ShopEvent event) {
        return new DecodeResult(event, null);
    }

    public static DecodeResult rejected(String error) {
        return new DecodeResult(null, error);
    }

    public boolean isValid() {
        return event != null;
    }
}

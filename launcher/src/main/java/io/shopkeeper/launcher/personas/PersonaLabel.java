package io.shopkeeper.launcher.personas;

/**
 * The truth about one planted visitor. An onset is the index (in the visitor's own event list) of
 * the first event of the first session where the behaviour happens, and that session's id; -1 and
 * {@code null} when the signal is truly off for this visitor.
 *
 * <p>{@code behaviourSession}: for the in-session styles ({@link Persona#inSession()}), the first
 * session where the in-session behaviour itself shows (the one the in-session flag should turn on
 * in); usually the onset session, but a visitor leaving at the price may start with a session where
 * a discounted item happened to be there and was bought (price-sensitive, but no exit at the price
 * in that session). {@code null} for the other personas, or when the behaviour never showed within
 * the simulated days.
 */
public record PersonaLabel(
        String visitorId,
        Persona persona,
        int priceOnset,
        String priceOnsetSession,
        int driftOnset,
        String driftOnsetSession,
        String behaviourSession) {

    public boolean priceSensitive() {
        return priceOnset >= 0;
    }

    public boolean drifting() {
        return driftOnset >= 0;
    }
}

package io.shopkeeper.launcher.personas;

/**
 * The truth about one planted visitor. An onset is the index (in the visitor's own event list) of the
 * first event of the first session where the behaviour happens, and that session's id; -1 and
 * {@code null} when the signal is truly off for this visitor.
 */
public record PersonaLabel(String visitorId, Persona persona, int priceOnset, String priceOnsetSession,
                           int driftOnset, String driftOnsetSession) {

    public boolean priceSensitive() {
        return priceOnset >= 0;
    }

    public boolean drifting() {
        return driftOnset >= 0;
    }
}

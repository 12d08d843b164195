package io.shopkeeper.api.store;

/** The recommendation store could not be reached or did not answer in time; the API answers 503. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

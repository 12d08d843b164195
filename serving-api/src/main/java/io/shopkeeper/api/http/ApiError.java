package io.shopkeeper.api.http;

/**
 * The one body shape of every 4xx and 5xx answer: a stable machine-readable {@code error} code, a
 * human-readable {@code message} naming what was wrong, and the HTTP {@code status} repeated.
 */
public record ApiError(String error, String message, int status) {}

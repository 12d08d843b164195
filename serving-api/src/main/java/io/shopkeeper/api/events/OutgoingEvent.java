package io.shopkeeper.api.events;

/** One validated event ready for the log: its topic, partitioning key and encoded JSON value. */
public record OutgoingEvent(String topic, String key, byte[] value) {}

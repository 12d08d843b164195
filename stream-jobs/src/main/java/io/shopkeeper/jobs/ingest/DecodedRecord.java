package io.shopkeeper.jobs.ingest;

import io.shopkeeper.schemas.DeadLetter;
import io.shopkeeper.schemas.DecodeResult;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.EventTimePolicy;
import io.shopkeeper.schemas.ShopEvent;
import java.nio.charset.StandardCharsets;

/**
 * One input record after decoding: the valid event, or the dead letter saying why it was rejected.
 * Decoding happens in the source so that watermarks are generated per Kafka partition from event
 * time; rejected records carry the broker timestamp so they never hold event time back.
 */
public class DecodedRecord {
    private ShopEvent event;
    private DeadLetter deadLetter;

    public DecodedRecord() {}

    /** Structural checks only (tests feeding recorded events). */
    public static DecodedRecord decode(
            byte[] payload, String topic, int partition, long offset, long brokerTimestamp) {
        return of(EventCodec.decode(payload), payload, topic, partition, offset, brokerTimestamp);
    }

    /** As records arrive: structural checks and the accepted event-time range. */
    public static DecodedRecord decode(
            byte[] payload,
            String topic,
            int partition,
            long offset,
            long brokerTimestamp,
            EventTimePolicy eventTime) {
        return of(
                EventCodec.decode(payload, eventTime),
                payload,
                topic,
                partition,
                offset,
                brokerTimestamp);
    }

    private static DecodedRecord of(
            DecodeResult result,
            byte[] payload,
            String topic,
            int partition,
            long offset,
            long brokerTimestamp) {
        DecodedRecord record = new DecodedRecord();
        if (result.isValid()) {
            record.event = result.event();
        } else {
            String raw = payload == null ? "" : new String(payload, StandardCharsets.UTF_8);
            record.deadLetter =
                    new DeadLetter(topic, partition, offset, result.error(), raw, brokerTimestamp);
        }
        return record;
    }

    /** Event time for valid records; the broker's timestamp for dead letters. */
    public long timestamp() {
        return event != null ? event.eventTimeMillis() : deadLetter.getRejectedAt();
    }

    public ShopEvent getEvent() {
        return event;
    }

    public void setEvent(ShopEvent event) {
        this.event = event;
    }

    public DeadLetter getDeadLetter() {
        return deadLetter;
    }

    public void setDeadLetter(DeadLetter deadLetter) {
        this.deadLetter = deadLetter;
    }
}

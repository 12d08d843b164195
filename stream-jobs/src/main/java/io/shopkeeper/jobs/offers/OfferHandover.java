package io.shopkeeper.jobs.offers;

import io.shopkeeper.schemas.EventCodec;
import java.io.IOException;
import org.apache.flink.api.common.serialization.AbstractDeserializationSchema;

/**
 * A stitched anonymous visitor's offer state, handed to the customer they turned out to be: the
 * decision operator emits it when the anonymous id is merged away, and reads it back through the
 * {@code offer-handovers} topic under the customer's key (a Flink job cannot feed an operator's
 * output to its own input otherwise). Written at least once and merged idempotently. A Flink POJO,
 * JSON on the topic.
 */
public class OfferHandover {
    private String customerId;
    private String anonymousId;
    private long at;
    private OfferState state;

    public OfferHandover() {}

    public OfferHandover(String customerId, String anonymousId, long at, OfferState state) {
        this.customerId = customerId;
        this.anonymousId = anonymousId;
        this.at = at;
        this.state = state;
    }

    /** The moment that applies it under the customer's key. */
    public OfferMoment toMoment() {
        OfferMoment m = new OfferMoment();
        m.setKind(OfferMoment.Kind.HANDOVER);
        m.setVisitorId(customerId);
        m.setAt(at);
        m.setHandover(state);
        return m;
    }

    public String getCustomerId() {
        return customerId;
    }

    public void setCustomerId(String customerId) {
        this.customerId = customerId;
    }

    public String getAnonymousId() {
        return anonymousId;
    }

    public void setAnonymousId(String anonymousId) {
        this.anonymousId = anonymousId;
    }

    /** Event time of the stitch. */
    public long getAt() {
        return at;
    }

    public void setAt(long at) {
        this.at = at;
    }

    public OfferState getState() {
        return state;
    }

    public void setState(OfferState state) {
        this.state = state;
    }

    /** A record of the topic; an unreadable one (or one without its customer) is skipped. */
    public static final class Json extends AbstractDeserializationSchema<OfferHandover> {
        @Override
        public OfferHandover deserialize(byte[] message) {
            if (message == null) return null;
            try {
                OfferHandover h = EventCodec.mapper().readValue(message, OfferHandover.class);
                return h.customerId == null || h.state == null ? null : h;
            } catch (IOException e) {
                return null;
            }
        }
    }
}

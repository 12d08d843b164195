package io.shopkeeper.jobs.offers;

import io.shopkeeper.schemas.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Outbound offers to the {@code offers} topic: keyed by visitor (one visitor's offers stay in
 * order), the {@code Offer} JSON as value, stamped with the producer's clock (see {@code
 * JsonKafkaRecords}).
 */
public class OfferKafkaRecords implements KafkaRecordSerializationSchema<OutboundOffer> {
    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            OutboundOffer offer, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                Topics.OFFERS,
                null,
                null,
                offer.getVisitorId().getBytes(StandardCharsets.UTF_8),
                offer.getJson().getBytes(StandardCharsets.UTF_8));
    }
}

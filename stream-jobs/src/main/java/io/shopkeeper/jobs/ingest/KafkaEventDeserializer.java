package io.shopkeeper.jobs.ingest;

import io.shopkeeper.schemas.EventTimePolicy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns every Kafka record into a {@link DecodedRecord}; never throws, so bad bytes never fail the
 * job.
 */
public class KafkaEventDeserializer implements KafkaRecordDeserializationSchema<DecodedRecord> {
    private final EventTimePolicy eventTime;

    /** {@code eventTime}: records outside the accepted range become dead letters. */
    public KafkaEventDeserializer(EventTimePolicy eventTime) {
        this.eventTime = eventTime;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<DecodedRecord> out) {
        out.collect(
                DecodedRecord.decode(
                        record.value(),
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.timestamp(),
                        eventTime));
    }

    @Override
    public TypeInformation<DecodedRecord> getProducedType() {
        return TypeInformation.of(DecodedRecord.class);
    }
}

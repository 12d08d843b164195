package io.shopkeeper.jobs.sink;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Output records (dead letters, segment changes) as JSON to one topic, stamped by the producer's
 * wall clock rather than the element's event time: the broker refuses timestamps far from its own
 * clock, and a replay of old history or a skewed input must never make an output unwritable. The
 * event time travels in the JSON body.
 */
public class JsonKafkaRecords<T> implements KafkaRecordSerializationSchema<T> {
    private final String topic;
    private final JsonSerializer<T> json = new JsonSerializer<>();

    public JsonKafkaRecords(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        // A null timestamp lets the producer stamp the record with the current time.
        return new ProducerRecord<>(topic, null, null, null, json.serialize(element));
    }
}

package io.shopkeeper.jobs.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;

/**
 * {@link Compact}'s strings are Flink's {@link StringValue} bytes: state and records written by
 * either read back with the other, so savepoints and the wire format are unchanged.
 */
class CompactTest {
    /** ASCII, Latin-1, two- and three-byte chars, surrogates, empty, null; short and long. */
    private static List<String> strings() {
        Random random = new Random(11);
        List<String> strings = new ArrayList<>(Arrays.asList(null, "", "a", "v-123/4", "é", "€"));
        strings.add("customer:42 \u00ff\u0100\u3fff\u4000\uffff end");
        strings.add(new String(Character.toChars(0x1F600)) + "x");
        int[] lengths = {1, 2, 126, 127, 128, 129, 1_000, 16_382, 16_383, 16_384, 70_000};
        char[] ranges = {0x7f, 0xff, 0x3fff, 0xffff};
        for (int length : lengths) {
            for (char range : ranges) {
                StringBuilder s = new StringBuilder(length);
                for (int i = 0; i < length; i++) {
                    // mostly ASCII, as ids and JSON are, with wider chars anywhere
                    s.append(
                            random.nextInt(8) == 0
                                    ? (char) random.nextInt(range + 1)
                                    : (char) (32 + random.nextInt(95)));
                }
                strings.add(s.toString());
            }
            strings.add("x".repeat(length));
        }
        return strings;
    }

    @Test
    void writesExactlyStringValuesBytes() throws Exception {
        for (String s : strings()) {
            DataOutputSerializer flink = new DataOutputSerializer(64);
            StringValue.writeString(s, flink);
            DataOutputSerializer ours = new DataOutputSerializer(64);
            Compact.writeString(s, ours);
            assertThat(ours.getCopyOfBuffer()).as(describe(s)).isEqualTo(flink.getCopyOfBuffer());
        }
    }

    @Test
    void writesManyAtOnceExactlyAsOneByOne() throws Exception {
        List<String> strings = strings();
        // every chunk boundary: ranges starting anywhere, shorter and longer than a chunk
        for (int from = 0; from < Compact.CHUNK + 2; from++) {
            for (int to = from; to <= strings.size(); to += 1 + to / 3) {
                DataOutputSerializer oneByOne = new DataOutputSerializer(64);
                for (String s : strings.subList(from, to)) StringValue.writeString(s, oneByOne);
                DataOutputSerializer fromList = new DataOutputSerializer(64);
                Compact.writeEach(strings, from, to, fromList);
                DataOutputSerializer fromArray = new DataOutputSerializer(64);
                Compact.writeEach(strings.toArray(new String[0]), from, to, fromArray);
                assertThat(fromList.getCopyOfBuffer())
                        .as("[%d, %d)", from, to)
                        .isEqualTo(oneByOne.getCopyOfBuffer());
                assertThat(fromArray.getCopyOfBuffer())
                        .as("[%d, %d)", from, to)
                        .isEqualTo(oneByOne.getCopyOfBuffer());
            }
        }
    }

    @Test
    void readsStringValuesBytesBackToBackWithoutReadingPastAString() throws Exception {
        List<String> strings = strings();
        DataOutputSerializer out = new DataOutputSerializer(1024);
        for (String s : strings) {
            StringValue.writeString(s, out);
            out.writeInt(0x7f7f7f7f); // a field after each string
        }
        byte[] bytes = out.getCopyOfBuffer();
        for (DataInputView in :
                List.of(
                        new DataInputDeserializer(bytes),
                        new DataInputViewStreamWrapper(new ByteArrayInputStream(bytes)))) {
            for (String s : strings) {
                assertThat(Compact.readString(in)).as(describe(s)).isEqualTo(s);
                assertThat(in.readInt()).isEqualTo(0x7f7f7f7f);
            }
        }
    }

    @Test
    void listsRoundTripThroughStringValue() throws Exception {
        List<String> strings = strings().subList(1, 20);
        DataOutputSerializer out = new DataOutputSerializer(64);
        Compact.writeStrings(strings, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertThat(in.readInt()).isEqualTo(strings.size());
        for (String s : strings) assertThat(StringValue.readString(in)).isEqualTo(s);
        in.setBuffer(out.getCopyOfBuffer());
        assertThat(Compact.readStrings(in)).isEqualTo(strings);
    }

    @Test
    void threadsWritingAndReadingAtOnceKeepTheirOwnScratchArrays() throws Exception {
        writeAndReadAtOnce(4, 20);
    }

    /**
     * More threads than the slots where threads find their scratch arrays without the thread-local
     * ({@code Compact.RECENT}): threads share slots and take them from each other all the time.
     */
    @Test
    void threadsSharingSlotsStillKeepTheirOwnScratchArrays() throws Exception {
        writeAndReadAtOnce(100, 3);
    }

    private static void writeAndReadAtOnce(int threads, int rounds) throws Exception {
        List<String> strings = strings();
        DataOutputSerializer expected = new DataOutputSerializer(1024);
        for (String s : strings) StringValue.writeString(s, expected);
        byte[] bytes = expected.getCopyOfBuffer();
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int shift = t;
                runs.add(
                        pool.submit(
                                () -> {
                                    for (int round = 0; round < rounds; round++) {
                                        // each thread in its own order: long and short strings
                                        // alternate differently, so shared arrays would clash
                                        List<String> mine = new ArrayList<>(strings);
                                        java.util.Collections.rotate(mine, shift * 7 + round);
                                        DataOutputSerializer out = new DataOutputSerializer(64);
                                        for (String s : mine) Compact.writeString(s, out);
                                        DataInputDeserializer in =
                                                new DataInputDeserializer(out.getCopyOfBuffer());
                                        for (String s : mine)
                                            assertThat(Compact.readString(in)).isEqualTo(s);
                                        DataInputDeserializer all =
                                                new DataInputDeserializer(bytes);
                                        for (String s : strings)
                                            assertThat(Compact.readString(all)).isEqualTo(s);
                                    }
                                    return null;
                                }));
            }
            for (java.util.concurrent.Future<?> run : runs) run.get();
        } finally {
            pool.shutdownNow();
        }
    }

    private static String describe(String s) {
        return s == null ? "null" : s.length() + " chars";
    }
}

package io.shopkeeper.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.util.ArrayList;
import java.util.List;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * This JVM's garbage collections as they happen, from the collectors' JMX notifications: {@code
 * [start, epoch ms; duration, ms; 1 if a pause (young or full), 0 if concurrent work]}, so a
 * benchmark can line its latencies up against them.
 */
final class GcPauses {
    private final List<long[]> collections = new ArrayList<>();

    private GcPauses() {}

    static GcPauses start() {
        GcPauses gc = new GcPauses();
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(bean instanceof NotificationEmitter emitter)) continue;
            emitter.addNotificationListener(
                    (notification, handback) -> {
                        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                                .equals(notification.getType())) return;
                        GarbageCollectionNotificationInfo info =
                                GarbageCollectionNotificationInfo.from(
                                        (CompositeData) notification.getUserData());
                        long start = runtime.getStartTime() + info.getGcInfo().getStartTime();
                        boolean pause = !info.getGcName().contains("Concurrent");
                        synchronized (gc.collections) {
                            gc.collections.add(
                                    new long[] {
                                        start, info.getGcInfo().getDuration(), pause ? 1 : 0
                                    });
                        }
                    },
                    null,
                    null);
        }
        return gc;
    }

    List<long[]> pauses() {
        synchronized (collections) {
            return new ArrayList<>(collections);
        }
    }
}

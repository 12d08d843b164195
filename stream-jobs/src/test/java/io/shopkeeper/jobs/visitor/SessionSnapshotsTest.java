package io.shopkeeper.jobs.visitor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link SessionSnapshots}: what is written is read back until removed, expired or evicted. */
class SessionSnapshotsTest {
    private static final long TTL = 1_000;

    private static byte[] bytes(int n) {
        return new byte[n];
    }

    @Test
    void aSnapshotIsReadBackUntilRemovedOrForgotten() {
        SessionSnapshots snapshots = new SessionSnapshots(1_000, TTL);
        byte[] a = bytes(100);
        byte[] b = bytes(50);
        snapshots.put("v1", "i1", a, 0);
        snapshots.put("v1", "i2", b, 0);
        assertThat(snapshots.get("v1", "i1", 10)).isSameAs(a);
        assertThat(snapshots.get("v2", "i1", 10)).isNull();
        assertThat(snapshots.bytes()).isEqualTo(150);

        byte[] newer = bytes(70);
        snapshots.put("v1", "i1", newer, 20);
        assertThat(snapshots.get("v1", "i1", 30)).isSameAs(newer);
        assertThat(snapshots.bytes()).isEqualTo(120);

        snapshots.remove("v1", "i2");
        assertThat(snapshots.get("v1", "i2", 30)).isNull();
        assertThat(snapshots.bytes()).isEqualTo(70);
        snapshots.forget("v1");
        assertThat(snapshots.get("v1", "i1", 30)).isNull();
        assertThat(snapshots.bytes()).isZero();
    }

    @Test
    void aSnapshotExpiresAsItsStateDoes() {
        SessionSnapshots snapshots = new SessionSnapshots(1_000, TTL);
        snapshots.put("v1", "i1", bytes(100), 0);
        assertThat(snapshots.get("v1", "i1", TTL - 1)).isNotNull();
        assertThat(snapshots.get("v1", "i1", TTL)).isNull();
        assertThat(snapshots.bytes()).isZero();
    }

    @Test
    void theLeastRecentlyUsedVisitorsLeaveBeyondTheBudgetButNeverTheOneWriting() {
        SessionSnapshots snapshots = new SessionSnapshots(300, TTL);
        snapshots.put("v1", "i1", bytes(100), 0);
        snapshots.put("v2", "i1", bytes(100), 0);
        snapshots.put("v3", "i1", bytes(100), 0);
        assertThat(snapshots.get("v1", "i1", 1)).isNotNull(); // v2 is now the least recent
        snapshots.put("v4", "i1", bytes(100), 2);
        assertThat(snapshots.get("v2", "i1", 3)).isNull();
        assertThat(snapshots.get("v1", "i1", 3)).isNotNull();
        assertThat(snapshots.bytes()).isEqualTo(300);

        snapshots.put("v5", "i1", bytes(400), 4);
        assertThat(snapshots.get("v5", "i1", 5)).isNotNull();
        assertThat(snapshots.bytes()).isEqualTo(400);
    }

    @Test
    void aBudgetOfZeroKeepsNothing() {
        SessionSnapshots snapshots = new SessionSnapshots(0, TTL);
        snapshots.put("v1", "i1", bytes(10), 0);
        assertThat(snapshots.get("v1", "i1", 1)).isNull();
        assertThat(snapshots.bytes()).isZero();
    }
}

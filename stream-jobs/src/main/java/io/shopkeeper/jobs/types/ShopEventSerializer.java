package io.shopkeeper.jobs.types;

import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.OrderLine;
import io.shopkeeper.schemas.ShopEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link ShopEvent} (with its order lines) field by field, without reflection: a flag word saying
 * which of the optional values (boxed numbers, the time, the type, the lines) are present, then the
 * fields in declaration order, strings null-safe. Flink's POJO serializer built a default event,
 * wrote a null flag per field and set every field reflectively; events cross several keyed hops and
 * wait in state ({@code HeldEvent}). The type is written by name, so adding an {@link EventType}
 * anywhere in the enum never misreads stored state. {@code ShopEvent} lives in {@code schemas} (no
 * Flink there): a stream or state opts in with {@link #TYPE}; {@link #write}/{@link #read} serve
 * the serializers of records that carry an event.
 *
 * <p>A new field of {@code ShopEvent} or {@code OrderLine} must be added here (at the end, with a
 * new snapshot version once state holds it): {@code ShopEventSerializerTest} fails otherwise.
 */
public final class ShopEventSerializer extends CompactSerializer<ShopEvent> {
    public static final ShopEventSerializer INSTANCE = new ShopEventSerializer();

    /** Type information of a stream or state of events written with this serializer. */
    public static final TypeInformation<ShopEvent> TYPE =
            new CompactTypeInfo<>(ShopEvent.class, INSTANCE);

    private static final int TYPE_SET = 1;
    private static final int TIMESTAMP = 1 << 1;
    private static final int PRICE = 1 << 2;
    private static final int LIST_PRICE = 1 << 3;
    private static final int RESULT_COUNT = 1 << 4;
    private static final int QUANTITY = 1 << 5;
    private static final int CART_TOTAL = 1 << 6;
    private static final int LINES = 1 << 7;
    private static final int DISCOUNT_TOTAL = 1 << 8;
    private static final int TOTAL = 1 << 9;
    private static final int IN_STOCK = 1 << 10;

    @Override
    public ShopEvent createInstance() {
        return new ShopEvent();
    }

    @Override
    public void serialize(ShopEvent event, DataOutputView out) throws IOException {
        write(event, out);
    }

    @Override
    public ShopEvent deserialize(DataInputView in) throws IOException {
        return read(in);
    }

    public static void write(ShopEvent e, DataOutputView out) throws IOException {
        int present =
                (e.getType() != null ? TYPE_SET : 0)
                        | (e.getTimestamp() != null ? TIMESTAMP : 0)
                        | (e.getPrice() != null ? PRICE : 0)
                        | (e.getListPrice() != null ? LIST_PRICE : 0)
                        | (e.getResultCount() != null ? RESULT_COUNT : 0)
                        | (e.getQuantity() != null ? QUANTITY : 0)
                        | (e.getCartTotal() != null ? CART_TOTAL : 0)
                        | (e.getLines() != null ? LINES : 0)
                        | (e.getDiscountTotal() != null ? DISCOUNT_TOTAL : 0)
                        | (e.getTotal() != null ? TOTAL : 0)
                        | (e.getInStock() != null ? IN_STOCK : 0);
        out.writeShort(present);
        Compact.writeString(e.getEventId(), out);
        if (e.getType() != null) Compact.writeString(e.getType().name(), out);
        if (e.getTimestamp() != null) {
            out.writeLong(e.getTimestamp().getEpochSecond());
            out.writeInt(e.getTimestamp().getNano());
        }
        Compact.writeString(e.getSessionId(), out);
        Compact.writeString(e.getCustomerId(), out);
        Compact.writeString(e.getAnonymousId(), out);
        Compact.writeString(e.getPageType(), out);
        Compact.writeString(e.getUrl(), out);
        Compact.writeString(e.getItemId(), out);
        Compact.writeString(e.getCategoryId(), out);
        Compact.writeString(e.getBrand(), out);
        if (e.getPrice() != null) out.writeDouble(e.getPrice());
        if (e.getListPrice() != null) out.writeDouble(e.getListPrice());
        Compact.writeString(e.getQuery(), out);
        if (e.getResultCount() != null) out.writeInt(e.getResultCount());
        Compact.writeString(e.getSortBy(), out);
        if (e.getQuantity() != null) out.writeInt(e.getQuantity());
        if (e.getCartTotal() != null) out.writeDouble(e.getCartTotal());
        Compact.writeString(e.getRecommendationId(), out);
        Compact.writeString(e.getOfferId(), out);
        Compact.writeString(e.getOrderId(), out);
        if (e.getLines() != null) writeLines(e.getLines(), out);
        Compact.writeString(e.getCouponCode(), out);
        if (e.getDiscountTotal() != null) out.writeDouble(e.getDiscountTotal());
        if (e.getTotal() != null) out.writeDouble(e.getTotal());
        Compact.writeString(e.getCurrency(), out);
        Compact.writeString(e.getTitle(), out);
        if (e.getInStock() != null) out.writeBoolean(e.getInStock());
    }

    public static ShopEvent read(DataInputView in) throws IOException {
        int present = in.readUnsignedShort();
        ShopEvent e = new ShopEvent();
        e.setEventId(Compact.readString(in));
        if ((present & TYPE_SET) != 0) e.setType(EventType.valueOf(Compact.readString(in)));
        if ((present & TIMESTAMP) != 0)
            e.setTimestamp(Instant.ofEpochSecond(in.readLong(), in.readInt()));
        e.setSessionId(Compact.readString(in));
        e.setCustomerId(Compact.readString(in));
        e.setAnonymousId(Compact.readString(in));
        e.setPageType(Compact.readString(in));
        e.setUrl(Compact.readString(in));
        e.setItemId(Compact.readString(in));
        e.setCategoryId(Compact.readString(in));
        e.setBrand(Compact.readString(in));
        if ((present & PRICE) != 0) e.setPrice(in.readDouble());
        if ((present & LIST_PRICE) != 0) e.setListPrice(in.readDouble());
        e.setQuery(Compact.readString(in));
        if ((present & RESULT_COUNT) != 0) e.setResultCount(in.readInt());
        e.setSortBy(Compact.readString(in));
        if ((present & QUANTITY) != 0) e.setQuantity(in.readInt());
        if ((present & CART_TOTAL) != 0) e.setCartTotal(in.readDouble());
        e.setRecommendationId(Compact.readString(in));
        e.setOfferId(Compact.readString(in));
        e.setOrderId(Compact.readString(in));
        if ((present & LINES) != 0) e.setLines(readLines(in));
        e.setCouponCode(Compact.readString(in));
        if ((present & DISCOUNT_TOTAL) != 0) e.setDiscountTotal(in.readDouble());
        if ((present & TOTAL) != 0) e.setTotal(in.readDouble());
        e.setCurrency(Compact.readString(in));
        e.setTitle(Compact.readString(in));
        if ((present & IN_STOCK) != 0) e.setInStock(in.readBoolean());
        return e;
    }

    /** The lines; a null line (never valid, but representable) as a false presence flag. */
    private static void writeLines(List<OrderLine> lines, DataOutputView out) throws IOException {
        out.writeInt(lines.size());
        for (OrderLine line : lines) {
            out.writeBoolean(line != null);
            if (line == null) continue;
            Compact.writeString(line.getItemId(), out);
            Compact.writeString(line.getCategoryId(), out);
            out.writeInt(line.getQuantity());
            out.writeDouble(line.getUnitPrice());
            out.writeBoolean(line.getListPrice() != null);
            if (line.getListPrice() != null) out.writeDouble(line.getListPrice());
        }
    }

    private static List<OrderLine> readLines(DataInputView in) throws IOException {
        int n = in.readInt();
        List<OrderLine> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (!in.readBoolean()) {
                lines.add(null);
                continue;
            }
            String itemId = Compact.readString(in);
            String categoryId = Compact.readString(in);
            int quantity = in.readInt();
            double unitPrice = in.readDouble();
            Double listPrice = in.readBoolean() ? in.readDouble() : null;
            lines.add(new OrderLine(itemId, categoryId, quantity, unitPrice, listPrice));
        }
        return lines;
    }

    @Override
    public TypeSerializerSnapshot<ShopEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * Restores the serializer; state written by the POJO serializer of earlier versions is
     * compatible after migration.
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ShopEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<ShopEvent> resolveSchemaCompatibility(
                TypeSerializerSnapshot<ShopEvent> oldSnapshot) {
            if (oldSnapshot instanceof PojoSerializerSnapshot<ShopEvent> pojo
                    && pojo.restoreSerializer().createInstance() instanceof ShopEvent) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(oldSnapshot);
        }
    }
}

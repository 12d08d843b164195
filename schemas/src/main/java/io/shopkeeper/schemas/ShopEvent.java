package io.shopkeeper.schemas;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One storefront, order or catalog event. A single flat class for all types keeps it a Flink POJO
 * (no Kryo, cheap to serialize); which fields are required depends on {@link #getType()} and is
 * enforced by {@link EventCodec}. Fields a type does not use stay {@code null}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"eventId", "type", "timestamp", "sessionId", "customerId", "anonymousId"})
public class ShopEvent {
    // Common to every event.
    private String eventId;
    private EventType type;
    private Instant timestamp;
    private String sessionId;
    private String customerId;
    private String anonymousId;

    // page_view
    private String pageType;
    private String url;

    // product_view, add_to_cart, remove_from_cart, impression, click, item_update
    private String itemId;
    private String categoryId;
    private String brand;
    private Double price;
    private Double listPrice;

    // search, sort
    private String query;
    private Integer resultCount;
    private String sortBy;

    // carts and checkout
    private Integer quantity;
    private Double cartTotal;

    // impression, click
    private String recommendationId;
    private String offerId;

    // orders
    private String orderId;
    private List<OrderLine> lines;
    private String couponCode;
    private Double discountTotal;
    private Double total;
    private String currency;

    // item_update
    private String title;
    private Boolean inStock;

    public ShopEvent() {}

    /**
     * The key of the visitor this event belongs to: the customer id when known, else the anonymous
     * id. {@code null} for catalog events.
     */
    @JsonIgnore
    public String visitorKey() {
        return customerId != null ? customerId : anonymousId;
    }

    /** The Kafka topic this event is published to: its type's. */
    @JsonIgnore
    public String topic() {
        return type.topic();
    }

    /**
     * The Kafka record key, beside the topic: visitor events by visitor (one visitor's events stay
     * in order on one partition), catalog events by item. Every producer keys by this.
     */
    @JsonIgnore
    public String partitionKey() {
        return type.isVisitorEvent() ? visitorKey() : itemId;
    }

    /**
     * Event time in epoch millis; saturates at {@code Long.MIN_VALUE}/{@code MAX_VALUE} for
     * instants beyond the long range (ISO-8601 allows years up to 999,999,999), never throws.
     */
    @JsonIgnore
    public long eventTimeMillis() {
        if (timestamp == null) return Long.MIN_VALUE;
        try {
            return timestamp.toEpochMilli();
        } catch (ArithmeticException overflow) {
            return timestamp.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    public String getEventId() {
        return eventId;
    }

    public void setEventId(String eventId) {
        this.eventId = eventId;
    }

    public EventType getType() {
        return type;
    }

    public void setType(EventType type) {
        this.type = type;
    }

    public Instant getTimestamp() {
        return timestamp;
    }

    public void setTimestamp(Instant timestamp) {
        this.timestamp = timestamp;
    }

    public String getSessionId() {
        return sessionId;
    }

    public void setSessionId(String sessionId) {
        this.sessionId = sessionId;
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

    public String getPageType() {
        return pageType;
    }

    public void setPageType(String pageType) {
        this.pageType = pageType;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getItemId() {
        return itemId;
    }

    public void setItemId(String itemId) {
        this.itemId = itemId;
    }

    public String getCategoryId() {
        return categoryId;
    }

    public void setCategoryId(String categoryId) {
        this.categoryId = categoryId;
    }

    public String getBrand() {
        return brand;
    }

    public void setBrand(String brand) {
        this.brand = brand;
    }

    public Double getPrice() {
        return price;
    }

    public void setPrice(Double price) {
        this.price = price;
    }

    public Double getListPrice() {
        return listPrice;
    }

    public void setListPrice(Double listPrice) {
        this.listPrice = listPrice;
    }

    public String getQuery() {
        return query;
    }

    public void setQuery(String query) {
        this.query = query;
    }

    public Integer getResultCount() {
        return resultCount;
    }

    public void setResultCount(Integer resultCount) {
        this.resultCount = resultCount;
    }

    public String getSortBy() {
        return sortBy;
    }

    public void setSortBy(String sortBy) {
        this.sortBy = sortBy;
    }

    public Integer getQuantity() {
        return quantity;
    }

    public void setQuantity(Integer quantity) {
        this.quantity = quantity;
    }

    public Double getCartTotal() {
        return cartTotal;
    }

    public void setCartTotal(Double cartTotal) {
        this.cartTotal = cartTotal;
    }

    public String getRecommendationId() {
        return recommendationId;
    }

    public void setRecommendationId(String recommendationId) {
        this.recommendationId = recommendationId;
    }

    public String getOfferId() {
        return offerId;
    }

    public void setOfferId(String offerId) {
        this.offerId = offerId;
    }

    public String getOrderId() {
        return orderId;
    }

    public void setOrderId(String orderId) {
        this.orderId = orderId;
    }

    public List<OrderLine> getLines() {
        return lines;
    }

    public void setLines(List<OrderLine> lines) {
        this.lines = lines;
    }

    public String getCouponCode() {
        return couponCode;
    }

    public void setCouponCode(String couponCode) {
        this.couponCode = couponCode;
    }

    public Double getDiscountTotal() {
        return discountTotal;
    }

    public void setDiscountTotal(Double discountTotal) {
        this.discountTotal = discountTotal;
    }

    public Double getTotal() {
        return total;
    }

    public void setTotal(Double total) {
        this.total = total;
    }

    public String getCurrency() {
        return currency;
    }

    public void setCurrency(String currency) {
        this.currency = currency;
    }

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
    }

    public Boolean getInStock() {
        return inStock;
    }

    public void setInStock(Boolean inStock) {
        this.inStock = inStock;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ShopEvent e)) return false;
        return Objects.equals(eventId, e.eventId)
                && type == e.type
                && Objects.equals(timestamp, e.timestamp)
                && Objects.equals(sessionId, e.sessionId)
                && Objects.equals(customerId, e.customerId)
                && Objects.equals(anonymousId, e.anonymousId)
                && Objects.equals(pageType, e.pageType)
                && Objects.equals(url, e.url)
                && Objects.equals(itemId, e.itemId)
                && Objects.equals(categoryId, e.categoryId)
                && Objects.equals(brand, e.brand)
                && Objects.equals(price, e.price)
                && Objects.equals(listPrice, e.listPrice)
                && Objects.equals(query, e.query)
                && Objects.equals(resultCount, e.resultCount)
                && Objects.equals(sortBy, e.sortBy)
                && Objects.equals(quantity, e.quantity)
                && Objects.equals(cartTotal, e.cartTotal)
                && Objects.equals(recommendationId, e.recommendationId)
                && Objects.equals(offerId, e.offerId)
                && Objects.equals(orderId, e.orderId)
                && Objects.equals(lines, e.lines)
                && Objects.equals(couponCode, e.couponCode)
                && Objects.equals(discountTotal, e.discountTotal)
                && Objects.equals(total, e.total)
                && Objects.equals(currency, e.currency)
                && Objects.equals(title, e.title)
                && Objects.equals(inStock, e.inStock);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, type, timestamp);
    }

    @Override
    public String toString() {
        return "ShopEvent{"
                + type
                + " "
                + eventId
                + " @"
                + timestamp
                + " visitor="
                + visitorKey()
                + (itemId != null ? " item=" + itemId : "")
                + "}";
    }
}

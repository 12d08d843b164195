package io.shopkeeper.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * A ranked list of items as stored in Redis: a visitor's recommendations, an item's similar items,
 * or a trending list. {@code subject} is the visitor, item or category the list is about.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RecommendationList {
    private String subject;
    private String strategy;
    private long updatedAt;
    private List<ScoredItem> items = new ArrayList<>();

    public RecommendationList() {}

    public RecommendationList(
            String subject, String strategy, long updatedAt, List<ScoredItem> items) {
        this.subject = subject;
        this.strategy = strategy;
        this.updatedAt = updatedAt;
        this.items = items;
    }

    public String getSubject() {
        return subject;
    }

    public void setSubject(String subject) {
        this.subject = subject;
    }

    public String getStrategy() {
        return strategy;
    }

    public void setStrategy(String strategy) {
        this.strategy = strategy;
    }

    /** Event time (epoch millis) of the newest event reflected in the list. */
    public long getUpdatedAt() {
        return updatedAt;
    }

    public void setUpdatedAt(long updatedAt) {
        this.updatedAt = updatedAt;
    }

    public List<ScoredItem> getItems() {
        return items;
    }

    public void setItems(List<ScoredItem> items) {
        this.items = items;
    }
}

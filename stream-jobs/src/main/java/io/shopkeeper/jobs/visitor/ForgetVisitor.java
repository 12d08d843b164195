package io.shopkeeper.jobs.visitor;

import java.util.ArrayList;
import java.util.List;

/**
 * The instruction for the recommendation operator to forget a visitor (right to be forgotten): drop
 * its cached neighbours, delete the visitor's lists and those of the anonymous ids stitched to it,
 * and ignore replies for events up to {@link #getAt()} still in flight.
 */
public class ForgetVisitor {
    private String visitorId;
    private List<String> aliases = new ArrayList<>();

    /** Event time (epoch millis) of the forget request. */
    private long at;

    public ForgetVisitor() {}

    public ForgetVisitor(String visitorId, List<String> aliases, long at) {
        this.visitorId = visitorId;
        this.aliases = aliases;
        this.at = at;
    }

    public String getVisitorId() {
        return visitorId;
    }

    public void setVisitorId(String visitorId) {
        this.visitorId = visitorId;
    }

    public List<String> getAliases() {
        return aliases;
    }

    public void setAliases(List<String> aliases) {
        this.aliases = aliases;
    }

    public long getAt() {
        return at;
    }

    public void setAt(long at) {
        this.at = at;
    }
}

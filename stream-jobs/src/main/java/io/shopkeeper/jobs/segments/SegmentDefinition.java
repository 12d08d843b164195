package io.shopkeeper.jobs.segments;

import java.io.Serializable;

/**
 * A named segment: a JEXL condition over the profile's facts (see {@link SegmentEvaluator#FACTS}),
 * e.g. {@code monetaryScore >= 5} or {@code priceSensitive && lifecycle == 'active'}.
 */
public class SegmentDefinition implements Serializable {
    private String name;
    private String description;
    private String condition;

    public SegmentDefinition() {}

    public SegmentDefinition(String name, String description, String condition) {
        this.name = name;
        this.description = description;
        this.condition = condition;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public String getCondition() {
        return condition;
    }

    public void setCondition(String condition) {
        this.condition = condition;
    }
}

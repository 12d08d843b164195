package io.shopkeeper.jobs.census;

import io.shopkeeper.jobs.profile.ProfileUpdate;

/** One profile counted in (+1) or out (-1) of the visitor census. */
public class CensusChange {
    private int delta;
    private boolean identified;

    public CensusChange() {}

    public CensusChange(int delta, boolean identified) {
        this.delta = delta;
        this.identified = identified;
    }

    /** The census change of a profile update; only updates with a nonzero delta have one. */
    public static CensusChange of(ProfileUpdate update) {
        return new CensusChange(update.getProfilesDelta(), update.isIdentified());
    }

    public int getDelta() {
        return delta;
    }

    public void setDelta(int delta) {
        this.delta = delta;
    }

    public boolean isIdentified() {
        return identified;
    }

    public void setIdentified(boolean identified) {
        this.identified = identified;
    }
}

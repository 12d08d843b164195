package io.shopkeeper.api.customers;

import io.shopkeeper.api.store.CustomerStore;
import io.shopkeeper.api.store.CustomerStore.VisitorRecord;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.ProfileDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The profile of a visitor as served: the job's {@link ProfileDocument} with its segments set to
 * the visitor's current segment memberships (sorted). An anonymous id stitched to a customer at
 * login serves the customer's profile, so a storefront holding the cookie id keeps working after
 * login. One round trip when the id has a profile; a second only for an alias.
 */
public final class ProfileService {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileService.class);
    private final CustomerStore store;

    public ProfileService(CustomerStore store) {
        this.store = store;
    }

    /**
     * The served profile JSON of {@code id}; empty when neither it nor the customer it is aliased
     * to has one.
     */
    public Optional<String> profile(String id) {
        VisitorRecord visitor = store.visitor(id);
        ProfileDocument profile = parse(id, visitor.profileJson());
        if (profile == null && visitor.aliasOf() != null && !visitor.aliasOf().equals(id)) {
            String customer = visitor.aliasOf();
            visitor = store.visitor(customer);
            profile = parse(customer, visitor.profileJson());
        }
        if (profile == null) {
            return Optional.empty();
        }
        profile.setSegments(new ArrayList<>(visitor.segments().stream().sorted().toList()));
        try {
            return Optional.of(EventCodec.mapper().writeValueAsString(profile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stored document; {@code null} when absent or unreadable (logged with the reason). */
    private static ProfileDocument parse(String id, String json) {
        if (json == null) return null;
        try {
            return ProfileDocument.read(json);
        } catch (IOException e) {
            LOG.warn("ignoring the unreadable profile of {}: {}", id, e.getMessage());
        }
        return null;
    }
}

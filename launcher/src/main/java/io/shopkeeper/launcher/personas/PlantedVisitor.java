package io.shopkeeper.launcher.personas;

import io.shopkeeper.schemas.ShopEvent;
import java.util.List;

/**
 * One planted visitor: the truth and the visitor's events in event-time order (all under one
 * visitor key).
 */
public record PlantedVisitor(PersonaLabel label, List<ShopEvent> events) {}

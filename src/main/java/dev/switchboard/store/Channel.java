package dev.switchboard.store;

import java.util.List;
import java.util.Map;

/**
 * An upstream channel as stored: one vendor endpoint (several base URLs), the models it
 * serves and how they are renamed upstream. {@code source} is {@code config} for channels
 * declared in YAML and {@code api} for channels managed at run time.
 */
public record Channel(
    long id, String name, String type, List<String> baseUrls, List<String> models,
    Map<String, String> modelMap, int priority, int weight, boolean enabled, String source,
    List<Credential> credentials) {}

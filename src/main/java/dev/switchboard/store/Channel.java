package dev.switchboard.store;

import java.util.List;
import java.util.Map;

/**
 * An upstream channel as stored: one vendor endpoint (several base URLs), the models it
 * serves and how they are renamed upstream. {@code source} is {@code config} for channels
 * declared in YAML and {@code api} for channels managed at run time. {@code quota} (tokens) and
 * {@code costQuotaNanos} are the quotas set over the API (-1 = none); a YAML channel's come
 * from its rules instead.
 */
public record Channel(
    long id, String name, String type, List<String> baseUrls, List<String> models,
    Map<String, String> modelMap, int priority, int weight, boolean enabled, String source,
    List<Credential> credentials, long quota, long costQuotaNanos) {

  /** Without quotas set over the API. */
  public Channel(long id, String name, String type, List<String> baseUrls, List<String> models,
      Map<String, String> modelMap, int priority, int weight, boolean enabled, String source, List<Credential> credentials) {
    this(id, name, type, baseUrls, models, modelMap, priority, weight, enabled, source, credentials, -1, -1);
  }
}

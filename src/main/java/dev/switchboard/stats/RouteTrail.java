package dev.switchboard.stats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * How one request was routed, for the request log: the group its model resolved to, what
 * became of its session binding, every attempt with its outcome, and every candidate passed
 * over with the reason. Immutable and bounded (see {@link #MAX_ATTEMPTS}, {@link #MAX_SKIPPED},
 * {@link #MAX_TEXT}); {@code omitted} counts the entries left out past those bounds.
 *
 * <p>{@code session} is null when the request had no session (or affinity is off), {@code new}
 * when its session was not bound yet, {@code kept} when the bound target answered, and
 * {@code broken} when a bound target was skipped or failed and another one served.
 */
public record RouteTrail(String group, String session, List<Attempt> attempts, List<Skip> skipped, int omitted) {

  /** More attempts than {@code routing.retries} allows (at most 20 retries). */
  public static final int MAX_ATTEMPTS = 24;
  public static final int MAX_SKIPPED = 32;
  /** Names, URLs and reasons are cut to this many characters. */
  public static final int MAX_TEXT = 200;

  /**
   * One attempt: where it went ({@code tier} counts from 0, {@code bySession} when the session's
   * binding chose it) and how it ended: {@code status} 0 when no HTTP answer came, {@code outcome}
   * one of success, rate_limited, auth_failed, server_error, connect_error, timeout,
   * client_error, client_closed, not_sent; {@code retryAfterMs} -1 when none was asked.
   */
  public record Attempt(int tier, String strategy, boolean bySession, long channelId, String channel, long credentialId,
      String upstreamModel, String baseUrl, int status, String outcome, long retryAfterMs, long latencyMs) {}

  /** A candidate not taken while picking for attempt number {@code attempt} (from 1), and why. */
  public record Skip(int attempt, String channel, long credentialId, String upstreamModel, String reason) {}

  public RouteTrail {
    attempts = List.copyOf(attempts);
    skipped = List.copyOf(skipped);
  }

  /** Text cut to {@link #MAX_TEXT} characters (null stays null). */
  public static String cut(String text) {
    if (text == null || text.length() <= MAX_TEXT) return text;
    // never half a surrogate pair: it would not encode
    return text.substring(0, Character.isHighSurrogate(text.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT);
  }

  /** The trail as the management API shows it: what {@link #encode} stores, decoded. */
  public JsonObject toJson() {
    return new JsonObject(encode());
  }

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * The compact JSON the request log stores, written straight from the fields: one per request,
   * where building an object tree first cost more than the write itself.
   */
  public String encode() {
    StringWriter out = new StringWriter(128 + 160 * attempts.size() + 96 * skipped.size());
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("group", group);
      g.writeStringField("session", session);
      g.writeArrayFieldStart("attempts");
      for (Attempt a : attempts) {
        g.writeStartObject();
        g.writeNumberField("tier", a.tier());
        g.writeStringField("strategy", a.strategy());
        g.writeBooleanField("bySession", a.bySession());
        g.writeNumberField("channelId", a.channelId());
        g.writeStringField("channel", a.channel());
        g.writeNumberField("credentialId", a.credentialId());
        g.writeStringField("upstreamModel", a.upstreamModel());
        g.writeStringField("baseUrl", a.baseUrl());
        g.writeNumberField("status", a.status());
        g.writeStringField("outcome", a.outcome());
        g.writeNumberField("retryAfterMs", a.retryAfterMs());
        g.writeNumberField("latencyMs", a.latencyMs());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("skipped");
      for (Skip k : skipped) {
        g.writeStartObject();
        g.writeNumberField("attempt", k.attempt());
        g.writeStringField("channel", k.channel());
        g.writeNumberField("credentialId", k.credentialId());
        g.writeStringField("upstreamModel", k.upstreamModel());
        g.writeStringField("reason", k.reason());
        g.writeEndObject();
      }
      g.writeEndArray();
      if (omitted > 0) g.writeNumberField("omitted", omitted);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);  // a StringWriter does not fail
    }
    return out.toString();
  }

  /** The trail {@link #toJson} wrote; unknown fields are ignored, missing ones take their empty value. */
  public static RouteTrail fromJson(JsonObject json) {
    List<Attempt> tries = new java.util.ArrayList<>();
    for (Object o : json.getJsonArray("attempts", new JsonArray())) {
      JsonObject a = (JsonObject) o;
      tries.add(new Attempt(a.getInteger("tier", -1), a.getString("strategy"), a.getBoolean("bySession", false),
          a.getLong("channelId", 0L), a.getString("channel"), a.getLong("credentialId", 0L), a.getString("upstreamModel"),
          a.getString("baseUrl"), a.getInteger("status", 0), a.getString("outcome"), a.getLong("retryAfterMs", -1L),
          a.getLong("latencyMs", -1L)));
    }
    List<Skip> skips = new java.util.ArrayList<>();
    for (Object o : json.getJsonArray("skipped", new JsonArray())) {
      JsonObject s = (JsonObject) o;
      skips.add(new Skip(s.getInteger("attempt", 0), s.getString("channel"), s.getLong("credentialId", 0L),
          s.getString("upstreamModel"), s.getString("reason")));
    }
    return new RouteTrail(json.getString("group"), json.getString("session"), tries, skips, json.getInteger("omitted", 0));
  }
}

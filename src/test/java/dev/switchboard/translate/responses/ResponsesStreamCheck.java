package dev.switchboard.translate.responses;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.core.ObjectMappers;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStreamEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Replays Responses events the way the SDK accumulators do ({@code openai-responses.md} §5) and
 * fails on anything they would reject or mis-assemble: a first event other than
 * {@code response.created}, a sequence number that does not increase, sparse or unknown
 * {@code output_index}/{@code content_index}, events for finished items, anything after the
 * terminal event, a terminal response whose output differs from the items streamed (P4). Every
 * event is also parsed and validated by openai-java and fed to its {@link ResponseAccumulator},
 * whose snapshot (the output it assembles from the deltas) must equal the terminal output.
 */
final class ResponsesStreamCheck {

  private static final JsonMapper SDK = ObjectMappers.jsonMapper();

  final List<JsonObject> events = new ArrayList<>();
  JsonObject terminal;
  Response sdkResponse;
  private final ResponseAccumulator accumulator = ResponseAccumulator.createWithSnapshots();
  private String snapshotOutput; // the output openai-java assembled from the events before the current one
  private final List<JsonObject> added = new ArrayList<>();
  private final List<JsonObject> doneItems = new ArrayList<>();
  private final List<Integer> parts = new ArrayList<>();
  private final List<Integer> openPart = new ArrayList<>();
  private final Set<String> ids = new HashSet<>();
  private long lastSequence = -1;

  static ResponsesStreamCheck replay(List<Buffer> out) {
    ResponsesStreamCheck check = new ResponsesStreamCheck();
    for (Buffer b : out) check.apply(b.toString(StandardCharsets.UTF_8));
    return check;
  }

  boolean ended() {
    return terminal != null;
  }

  void apply(String record) {
    check(record.endsWith("\n\n"), "record does not end with a blank line: " + record);
    String[] lines = record.substring(0, record.length() - 2).split("\n", -1);
    check(lines.length == 2 && lines[0].startsWith("event: ") && lines[1].startsWith("data: "),
        "record must be one event: line and one data: line: " + record);
    String name = lines[0].substring(7);
    JsonObject data = new JsonObject(lines[1].substring(6));
    check(name.equals(data.getString("type")), "event name " + name + " differs from data.type");
    check(terminal == null, "event after the terminal event: " + name);
    check(data.getValue("sequence_number") instanceof Number, "no sequence_number: " + name);
    long sequence = data.getLong("sequence_number");
    check(sequence > lastSequence, "sequence_number " + sequence + " does not increase after " + lastSequence);
    lastSequence = sequence;
    check(!events.isEmpty() || name.equals("response.created"), "first event must be response.created, was " + name);
    events.add(data);
    sdk(lines[1].substring(6));
    switch (name) {
      case "response.created", "response.in_progress" ->
          check(data.getJsonObject("response").getJsonArray("output").isEmpty(), name + " with output");
      case "response.output_item.added" -> {
        check(data.getInteger("output_index") == added.size(), "output_index " + data.getValue("output_index") + " is not the next dense index " + added.size());
        JsonObject item = data.getJsonObject("item");
        check(ids.add(item.getString("id")), "item id reused: " + item.getValue("id"));
        added.add(item);
        doneItems.add(null);
        parts.add(0);
        openPart.add(-1);
      }
      case "response.output_item.done" -> {
        int index = open(data);
        check(openPart.get(index) < 0, "item done while content part " + openPart.get(index) + " is open");
        doneItems.set(index, data.getJsonObject("item"));
      }
      case "response.content_part.added" -> {
        int index = open(data);
        check(openPart.get(index) < 0, "content part added while another is open");
        check(data.getInteger("content_index").equals(parts.get(index)), "content_index is not the next dense index");
        openPart.set(index, parts.get(index));
        parts.set(index, parts.get(index) + 1);
      }
      case "response.output_text.delta", "response.output_text.done", "response.refusal.delta", "response.refusal.done" -> {
        int index = open(data);
        check(data.getInteger("content_index").equals(openPart.get(index)), name + " for a content part that is not open");
      }
      case "response.content_part.done" -> {
        int index = open(data);
        check(data.getInteger("content_index").equals(openPart.get(index)), "content_part.done for a part that is not open");
        openPart.set(index, -1);
      }
      case "response.completed", "response.incomplete" -> {
        terminal = data.getJsonObject("response");
        check(!doneItems.contains(null), name + " while items are still open");
        check(new JsonArray(new ArrayList<>(doneItems)).equals(terminal.getJsonArray("output")),
            name + " output differs from the items streamed: " + terminal.getJsonArray("output"));
        check(name.equals("response.completed") == "completed".equals(terminal.getValue("status")), "status does not match " + name);
        check(snapshotOutput != null && new JsonArray(snapshotOutput).equals(terminal.getJsonArray("output")),
            "openai-java assembled " + snapshotOutput + " from the events, the terminal event says " + terminal.getJsonArray("output"));
      }
      case "response.failed" -> {
        terminal = data.getJsonObject("response");
        check("failed".equals(terminal.getValue("status")) && terminal.getValue("error") instanceof JsonObject, "failed without an error");
      }
      default -> {
        if (data.containsKey("output_index")) open(data);
      }
    }
    if (terminal != null) sdkResponse = accumulator.response();
  }

  /** The index of the open item an event addresses, checking its item_id. */
  private int open(JsonObject data) {
    int index = data.getInteger("output_index");
    check(index >= 0 && index < added.size(), "output_index " + index + " was never added");
    check(doneItems.get(index) == null, "event for item " + index + " after its output_item.done");
    if (data.containsKey("item_id")) check(added.get(index).getValue("id").equals(data.getValue("item_id")), "item_id does not match output_index");
    if (data.getValue("item") instanceof JsonObject item) check(added.get(index).getValue("id").equals(item.getValue("id")), "item id changed");
    return index;
  }

  private void sdk(String json) {
    try {
      ResponseStreamEvent event = SDK.readValue(json, ResponseStreamEvent.class);
      event.validate();
      if (accumulator.snapshot().isPresent()) snapshotOutput = SDK.writeValueAsString(accumulator.snapshot().get()._output());
      accumulator.accumulate(event);
    } catch (Exception e) {
      throw new AssertionError("openai-java rejects " + json + ": " + e, e);
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) throw new AssertionError(what);
  }
}

package dev.switchboard.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Finds chosen top-level fields of a JSON object by byte position without building a tree, so
 * a proxy can read or replace one field and pass every other byte through untouched. The whole
 * document is still tokenised, so malformed JSON is always detected.
 */
public final class TopLevelJson {

  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  /** Where a field's value sits in the buffer, its token, and its text for scalars. */
  public record Field(int start, int end, JsonToken token, String text) {}

  /** The wanted fields found, and the position of the object's closing brace. */
  public record Scan(Map<String, Field> fields, int closingBrace, int fieldCount) {
    public Field get(String name) {
      return fields.get(name);
    }
  }

  private TopLevelJson() {}

  /**
   * Scans a buffer that must hold exactly one JSON object. A wanted field that appears twice is
   * rejected: two parsers could otherwise disagree about which one counts.
   */
  public static Scan scan(Buffer body, Set<String> wanted) throws MalformedJsonException {
    Bytes.Range range = Bytes.of(body);
    if (range.length() == 0) {
      throw new MalformedJsonException("the request body is empty; expected a JSON object");
    }
    try (JsonParser p = FACTORY.createParser(range.array(), range.offset(), range.length())) {
      JsonToken first = p.nextToken();
      // Jackson reads UTF-16/32 too, but then has no byte offsets (-1) to slice by.
      if (p.currentTokenLocation().getByteOffset() < 0) {
        throw new MalformedJsonException("the request body must be JSON in UTF-8");
      }
      if (first != JsonToken.START_OBJECT) {
        throw new MalformedJsonException("the request body must be a JSON object");
      }
      Map<String, Field> fields = new HashMap<>();
      int count = 0;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        count++;
        String name = p.currentName();
        JsonToken value = p.nextToken();
        boolean want = wanted.contains(name);
        // a location is an allocation: only the wanted fields' positions are taken
        int start = want ? (int) p.currentTokenLocation().getByteOffset() : -1;
        String text = null;
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          p.skipChildren();
        } else if (want) {
          text = p.getText();
        } else {
          p.finishToken();
        }
        if (want) {
          int end = (int) p.currentLocation().getByteOffset();
          if (fields.put(name, new Field(start, end, value, text)) != null) {
            throw new MalformedJsonException("the field '" + name + "' appears more than once");
          }
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new MalformedJsonException("the request body is not a complete JSON object");
      }
      int closing = (int) p.currentTokenLocation().getByteOffset();
      if (p.nextToken() != null) {
        throw new MalformedJsonException("unexpected content after the JSON object");
      }
      return new Scan(fields, closing, count);
    } catch (JsonProcessingException e) {
      throw new MalformedJsonException("the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new MalformedJsonException("the request body could not be read as JSON");
    }
  }
}

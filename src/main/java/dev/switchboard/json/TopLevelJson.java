package dev.switchboard.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Finds chosen top-level fields of a JSON object by byte position without building a tree, so
 * a proxy can read or replace one field and pass every other byte through untouched. {@link
 * #scan} tokenises the whole document, so malformed JSON is always detected; {@link #locate}
 * only walks its structure, for reading one field of an answer that is relayed as it came.
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

  private static final long QUOTE = Swar.broadcast((byte) '"');
  private static final long BACKSLASH = Swar.broadcast((byte) '\\');

  /**
   * Where the value of the top-level field {@code name} sits, by walking the object's structure:
   * keys compared as bytes (decoded first only when written with escapes), strings skipped
   * eight bytes at a time, nested values only counted, nothing tokenised or allocated but the
   * answer. Null when the field is absent or appears more than once, or when the bytes are not
   * an object this walk can follow; it does not validate, so a value found in malformed JSON
   * may still fail to parse. The field's token is told by the value's first bytes; its text is
   * not read.
   */
  public static Field locate(Buffer body, byte[] name) {
    Bytes.Range r = Bytes.of(body);
    byte[] a = r.array();
    int base = r.offset();
    int to = base + r.length();
    int i = base;
    if (to - i >= 3 && a[i] == (byte) 0xEF && a[i + 1] == (byte) 0xBB && a[i + 2] == (byte) 0xBF) i += 3;  // a UTF-8 BOM
    i = space(a, i, to);
    if (i >= to || a[i] != '{') return null;
    i = space(a, i + 1, to);
    if (i < to && a[i] == '}') return null;
    Field found = null;
    while (true) {
      if (i >= to || a[i] != '"') return null;
      int keyEnd = stringEnd(a, i, to);
      if (keyEnd < 0) return null;
      int keyLength = keyEnd - i - 1;
      // a name written with escapes is longer than the name: only such keys are searched for a backslash
      boolean match = keyLength == name.length && Arrays.equals(a, i + 1, keyEnd, name, 0, name.length)
          || keyLength > name.length && escaped(a, i, keyEnd) && Arrays.equals(decodedKey(a, i, keyEnd), name);
      i = space(a, keyEnd + 1, to);
      if (i >= to || a[i] != ':') return null;
      int start = space(a, i + 1, to);
      int end = valueEnd(a, start, to);
      if (end <= start) return null;  // no value, or one that does not end
      if (match) {
        if (found != null) return null;
        found = new Field(start - base, end - base, token(a, start, end), null);
      }
      i = space(a, end, to);
      if (i >= to) return null;
      if (a[i] == '}') return found;
      if (a[i] != ',') return null;
      i = space(a, i + 1, to);
    }
  }

  private static boolean escaped(byte[] a, int open, int close) {
    for (int i = open + 1; i < close; i++) {
      if (a[i] == '\\') return true;
    }
    return false;
  }

  /** A key written with escapes, decoded (rare: no API writes its field names so). */
  private static byte[] decodedKey(byte[] a, int open, int close) {
    try (JsonParser p = FACTORY.createParser(a, open, close + 1 - open)) {
      p.nextToken();
      return p.getText().getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static JsonToken token(byte[] a, int start, int end) {
    return switch (a[start]) {
      case '{' -> JsonToken.START_OBJECT;
      case '[' -> JsonToken.START_ARRAY;
      case '"' -> JsonToken.VALUE_STRING;
      case 't' -> JsonToken.VALUE_TRUE;
      case 'f' -> JsonToken.VALUE_FALSE;
      case 'n' -> JsonToken.VALUE_NULL;
      default -> {
        for (int i = start; i < end; i++) {
          if (a[i] == '.' || a[i] == 'e' || a[i] == 'E') yield JsonToken.VALUE_NUMBER_FLOAT;
        }
        yield JsonToken.VALUE_NUMBER_INT;
      }
    };
  }

  private static int space(byte[] a, int i, int to) {
    while (i < to && (a[i] == ' ' || a[i] == '\n' || a[i] == '\r' || a[i] == '\t')) i++;
    return i;
  }

  /** The index just past the value that starts at {@code i}, or -1 when it does not end. */
  private static int valueEnd(byte[] a, int i, int to) {
    if (i >= to) return -1;
    byte b = a[i];
    if (b == '"') {
      int end = stringEnd(a, i, to);
      return end < 0 ? -1 : end + 1;
    }
    if (b != '{' && b != '[') {
      // a number, true, false or null: up to the next delimiter
      while (i < to && (b = a[i]) != ',' && b != '}' && b != ']' && b != ' ' && b != '\n' && b != '\r' && b != '\t') i++;
      return i;
    }
    int depth = 0;
    for (; i < to; i++) {
      b = a[i];
      if (b == '"') {
        i = stringEnd(a, i, to);
        if (i < 0) return -1;
      } else if (b == '{' || b == '[') {
        depth++;
      } else if ((b == '}' || b == ']') && --depth == 0) {
        return i + 1;
      }
    }
    return -1;
  }

  /** The index of the quote that closes the string opening at {@code open}, or -1. */
  private static int stringEnd(byte[] a, int open, int to) {
    int i = open + 1;
    while (true) {
      for (; i + 8 <= to; i += 8) {
        long word = Swar.word(a, i);
        long found = Swar.zeros(word ^ QUOTE) | Swar.zeros(word ^ BACKSLASH);
        if (found != 0) {
          i += Swar.lowest(found);
          break;
        }
      }
      while (i < to && a[i] != '"' && a[i] != '\\') i++;
      if (i >= to) return -1;
      if (a[i] == '"') return i;
      i += 2;  // an escape: the next byte is never the end
    }
  }
}

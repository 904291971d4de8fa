package dev.switchboard.translate;

import dev.switchboard.translate.anthropic.ChatToAnthropic;
import dev.switchboard.translate.anthropic.MessagesToChat;
import dev.switchboard.translate.gemini.ChatToGemini;
import dev.switchboard.translate.gemini.GeminiToChat;
import dev.switchboard.translate.responses.ChatToResponses;
import dev.switchboard.translate.responses.ResponsesToChat;
import java.util.EnumMap;
import java.util.Map;

/**
 * Every client protocol to every upstream protocol. Pairs with OpenAI Chat on one side have a
 * direction class of their own; the others go through Chat as the pivot: client → Chat →
 * upstream on the way out, and back the same way ({@link ComposedTranslation}). Equal
 * protocols never translate: that is the pass-through path.
 */
public final class Translations {

  private final Map<Protocol, Map<Protocol, Translation>> table = new EnumMap<>(Protocol.class);

  /** The directions this build has, keyed by client and upstream protocol. */
  public static Translations standard() {
    Translations t = new Translations();
    t.add(new ChatToAnthropic());
    t.add(new MessagesToChat());
    t.add(new ChatToGemini());
    t.add(new GeminiToChat());
    t.add(new ChatToResponses());
    t.add(new ResponsesToChat());
    return t.composeThroughChat();
  }

  /** A table of just these directions plus what composes from them; for tests. */
  public static Translations of(Translation... directions) {
    Translations t = new Translations();
    for (Translation d : directions) t.add(d);
    return t.composeThroughChat();
  }

  private void add(Translation t) {
    table.computeIfAbsent(t.client(), k -> new EnumMap<>(Protocol.class)).put(t.upstream(), t);
  }

  private Translations composeThroughChat() {
    for (Protocol client : Protocol.values()) {
      for (Protocol upstream : Protocol.values()) {
        if (client == upstream || client == Protocol.OPENAI_CHAT || upstream == Protocol.OPENAI_CHAT) continue;
        Translation in = direct(client, Protocol.OPENAI_CHAT);
        Translation out = direct(Protocol.OPENAI_CHAT, upstream);
        if (in != null && out != null && direct(client, upstream) == null) {
          add(new ComposedTranslation(in, out));
        }
      }
    }
    return this;
  }

  private Translation direct(Protocol client, Protocol upstream) {
    Map<Protocol, Translation> row = table.get(client);
    return row == null ? null : row.get(upstream);
  }

  /** The direction from {@code client} to {@code upstream}, or null when there is none. */
  public Translation get(Protocol client, Protocol upstream) {
    return direct(client, upstream);
  }
}

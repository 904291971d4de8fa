package dev.switchboard.translate.gemini;

/**
 * Tool-call ids between Gemini (ids optional, often absent) and Chat (ids required), one
 * deterministic and injective mapping for calls and results (P12). A Gemini id {@code X} is
 * shown to Chat clients as {@code call_gem_X}, so that it can be given back to Gemini when the
 * client replays the call; an id-less call gets {@code call_<answer>_<n>}, stable for one answer,
 * which is never sent back.
 */
final class GeminiIds {

  static final String PREFIX = "call_gem_";

  private GeminiIds() {}

  /** The Chat id for the {@code n}-th function call of an answer. */
  static String chatId(Object geminiId, String answerKey, int n) {
    if (geminiId instanceof String id && !id.isEmpty()) return PREFIX + id;
    return "call_" + answerKey + "_" + n;
  }

  /** The Gemini id a Chat id was made from, or null when Gemini never gave one. */
  static String geminiId(String chatId) {
    if (chatId == null || !chatId.startsWith(PREFIX) || chatId.length() == PREFIX.length()) return null;
    return chatId.substring(PREFIX.length());
  }

  /** An id-safe key for an answer: its response id with anything but letters, digits, - and _ replaced. */
  static String answerKey(String responseId) {
    StringBuilder sb = new StringBuilder(responseId.length());
    for (int i = 0; i < responseId.length(); i++) {
      char c = responseId.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      sb.append(ok ? c : '_');
    }
    return sb.toString();
  }
}

package dev.switchboard.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.SwitchboardConfig.GroupConfig;
import dev.switchboard.config.SwitchboardConfig.MemberConfig;
import dev.switchboard.config.SwitchboardConfig.TierConfig;
import dev.switchboard.store.Channel;
import dev.switchboard.store.ChannelSpend;
import dev.switchboard.store.Credential;
import dev.switchboard.store.CredentialSpend;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The selector's book counts a credential's own quotas apart from its channel's: a spent
 * credential is skipped with its reason while its sibling serves, stored sums and unsaved
 * spend add up, a reset forgets both, and a channel without keys spends on no credential.
 */
class CredentialQuotaBookTest {

  private static final String MODEL = "m";
  private static final Channel PAIR = new Channel(1, "pair", "openai", List.of("http://a"), List.of(MODEL), Map.of(), 0, 1, true,
      "config", List.of(new Credential(11, 1, "sk-11", true), new Credential(12, 1, "sk-12", true)));
  private static final Lease FIRST = new Lease(1, "pair", "openai", 11, "sk-11", "http://a", MODEL);

  private static PoolSnapshot pool(Telemetry.Book book) {
    return PoolSnapshot.of(1, List.of(PAIR), List.of(), RouteConfig.NONE, Map.of(), book.freeze());
  }

  @Test
  void aSpentCredentialIsSkippedWhileItsSiblingServes() {
    Telemetry.Book book = new Telemetry.Book();
    book.credentialQuota(11, -1, 1_000);
    assertTrue(book.spend(Spend.of(FIRST, 52, 600)));
    assertEquals(400, book.freeze().credentialCostLeft(11));
    assertNull(book.freeze().credentialExhausted(11));
    assertTrue(book.spend(Spend.of(FIRST, 52, 600)));
    assertEquals(0, book.freeze().credentialCostLeft(11), "never below zero");
    assertEquals(Long.MAX_VALUE, book.freeze().costLeft(1), "the channel has no quota of its own");

    PoolSnapshot pool = pool(book);
    for (int i = 0; i < 50; i++) assertEquals(12, pool.pick(MODEL, Set.of(), 0).credentialId());
    Explanation why = pool.explain(MODEL, null, 0);
    assertEquals("credential quota exhausted", why.candidates().stream().filter(s -> s.credentialId() == 11).findFirst()
        .orElseThrow().skipped());
    assertNull(why.candidates().stream().filter(s -> s.credentialId() == 12).findFirst().orElseThrow().skipped());
    PoolSnapshot.TargetStatus status = pool.status(0).get(0).targets().get(0);
    assertEquals(0, status.costLeftNanos());
    assertEquals(-1, status.quotaLeft());
  }

  @Test
  void mostRemainingRanksCredentialsByWhatIsLeftOfTheirOwnQuotas() {
    Telemetry.Book book = new Telemetry.Book();
    book.credentialQuota(11, -1, 1_000);
    book.credentialQuota(12, -1, 5_000);
    PoolSnapshot pool = PoolSnapshot.of(1, List.of(PAIR), List.of(),
        new RouteConfig(Map.of(), Map.of(), List.of(new GroupConfig(MODEL, List.of(),
            List.of(new TierConfig("most_remaining", List.of(new MemberConfig("pair", MODEL, 1, 1)))))), Map.of(),
            RouteConfig.CostLookup.NONE), Map.of(), book.freeze());
    for (int i = 0; i < 20; i++) assertEquals(12, pool.pick(MODEL, Set.of(), 0).credentialId(), "5000 left beats 1000");
  }

  @Test
  void storedSumsAndUnsavedSpendAddUpAndAResetForgetsBoth() {
    Telemetry.Book book = new Telemetry.Book();
    book.credentialQuota(11, 1_000, -1);
    book.quota(1, 10_000, -1);
    book.spend(Spend.of(FIRST, 100, 0));
    assertEquals(List.of(new CredentialSpend(11, 100, 0)), book.takeUnsavedCredentials());
    assertEquals(List.of(new ChannelSpend(1, 100, 0)), book.takeUnsaved(), "the channel counts the same request");
    book.spend(Spend.of(FIRST, 50, 0));
    book.storedCredentials(List.of(new CredentialSpend(11, 700, 0))); // every instance's, this one's 100 included
    assertEquals(250, book.freeze().credentialQuotaLeft(11), "1000 − 700 stored − 50 not stored yet");

    book.resetCredential(11);
    assertEquals(1_000, book.freeze().credentialQuotaLeft(11));
    assertEquals(List.of(), book.takeUnsavedCredentials(), "nothing counted before the reset is stored after it");
    assertEquals(10_000 - 150, book.freeze().quotaLeft(1), "the channel's count stays");
  }

  @Test
  void aChannelWithoutKeysSpendsOnNoCredentialAndQuotasGoWithAReload() {
    Telemetry.Book book = new Telemetry.Book();
    book.credentialQuota(1, 10, -1); // a credential whose id equals the key-less channel's
    Lease keyless = new Lease(1, "open", "openai", 0, null, "http://a", MODEL);
    assertFalse(book.spend(Spend.of(keyless, 52, 0)), "target -1 is the channel, not credential 1");
    assertEquals(10, book.freeze().credentialQuotaLeft(1));
    book.clearQuotas();
    assertFalse(book.hasQuotas());
    assertEquals(Long.MAX_VALUE, book.freeze().credentialQuotaLeft(1));
  }
}

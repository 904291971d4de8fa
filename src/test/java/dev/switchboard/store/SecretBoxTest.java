package dev.switchboard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {

  private static final String SECRET = "sk-test-0123456789abcdef";

  @TempDir
  Path dir;

  private static SecretBox box(int fill) {
    byte[] key = new byte[32];
    java.util.Arrays.fill(key, (byte) fill);
    return SecretBox.of(key);
  }

  @Test
  void roundTripsAndSealsInTheV1Form() {
    SecretBox box = box(1);
    String sealed = box.encrypt(SECRET);
    assertTrue(sealed.startsWith("v1:"));
    assertFalse(sealed.contains(SECRET));
    assertEquals(SECRET, box.decrypt(sealed));
    assertEquals("", box.decrypt(box.encrypt("")));
  }

  @Test
  void usesAFreshNonceForEveryEncryption() {
    SecretBox box = box(1);
    assertNotEquals(box.encrypt(SECRET), box.encrypt(SECRET));
  }

  @Test
  void rejectsTamperedCiphertextWithoutEchoingIt() {
    SecretBox box = box(1);
    byte[] raw = Base64.getDecoder().decode(box.encrypt(SECRET).substring(3));
    raw[raw.length - 1] ^= 1;
    String tampered = "v1:" + Base64.getEncoder().encodeToString(raw);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> box.decrypt(tampered));
    assertFalse(e.getMessage().contains(tampered.substring(3)));
  }

  @Test
  void rejectsGarbageAndForeignKeys() {
    SecretBox box = box(1);
    for (String garbage : new String[] {"", "plain", "v1:", "v1:!!not-base64!!", "v1:AAAA", "v2:AAAA"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> box.decrypt(garbage));
      assertFalse(!garbage.isEmpty() && e.getMessage().contains(garbage), e.getMessage());
    }
    String sealed = box.encrypt(SECRET);
    assertThrows(IllegalArgumentException.class, () -> box(2).decrypt(sealed));
  }

  @Test
  void createsAKeyFileReadableOnlyByTheOwnerAndReusesIt() throws Exception {
    Path keyFile = dir.resolve("nested/dir/master.key");
    SecretBox first = SecretBox.load(null, keyFile);
    assertTrue(Files.exists(keyFile));
    assertEquals(32, Base64.getDecoder().decode(Files.readString(keyFile).trim()).length);
    assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "POSIX file system");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    SecretBox second = SecretBox.load(null, keyFile);
    assertEquals(SECRET, second.decrypt(first.encrypt(SECRET)));
  }

  @Test
  void environmentKeyTakesPrecedenceOverTheFile() {
    byte[] key = new byte[32];
    key[0] = 7;
    Path keyFile = dir.resolve("unused.key");
    SecretBox fromEnv = SecretBox.load(Base64.getEncoder().encodeToString(key), keyFile);
    assertFalse(Files.exists(keyFile));
    assertEquals(SECRET, SecretBox.of(key).decrypt(fromEnv.encrypt(SECRET)));
  }

  @Test
  void environmentKeyOfTheWrongLengthIsRejectedWithoutPrintingIt() {
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SecretBox.load(shortKey, dir.resolve("k")));
    assertTrue(e.getMessage().contains("SWITCHBOARD_MASTER_KEY"), e.getMessage());
    assertFalse(e.getMessage().contains(shortKey));
    IllegalArgumentException notBase64 = assertThrows(IllegalArgumentException.class,
        () -> SecretBox.load("not*base64*at*all", dir.resolve("k")));
    assertTrue(notBase64.getMessage().contains("SWITCHBOARD_MASTER_KEY"));
    assertFalse(notBase64.getMessage().contains("*"));
  }

  @Test
  void keyFileOfTheWrongLengthIsRejected() throws Exception {
    Path keyFile = dir.resolve("bad.key");
    Files.writeString(keyFile, Base64.getEncoder().encodeToString(new byte[8]));
    assertThrows(IllegalArgumentException.class, () -> SecretBox.load(null, keyFile));
  }
}

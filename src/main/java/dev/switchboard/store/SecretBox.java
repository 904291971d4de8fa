package dev.switchboard.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypts upstream secrets at rest with AES-256-GCM under a master key taken from the
 * environment ({@code SWITCHBOARD_MASTER_KEY}, base64 of 32 bytes) or from a key file that is
 * generated with 0600 permissions on first start. Thread-safe.
 *
 * <p>Sealed form: {@code v1:} followed by base64 of a 12-byte random nonce and the ciphertext
 * with its 128-bit tag. No message from this class contains a key, a secret or a sealed value.
 */
public final class SecretBox {

  /** The environment variable that, when set, takes precedence over the key file. */
  public static final String ENV = "SWITCHBOARD_MASTER_KEY";

  private static final Logger LOG = LoggerFactory.getLogger(SecretBox.class);
  private static final String PREFIX = "v1:";
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  private SecretBox(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /** Loads the master key (blocking file I/O: call off the event loop). */
  public static SecretBox load(Path keyFile) {
    return load(System.getenv(ENV), keyFile);
  }

  /** A box over a raw 32-byte key, for tests and callers that manage keys themselves. */
  public static SecretBox of(byte[] key) {
    if (key == null || key.length != KEY_BYTES) {
      throw new IllegalArgumentException("master key must be " + KEY_BYTES + " bytes");
    }
    return new SecretBox(key.clone());
  }

  /** Whether {@code value} has the sealed form {@link #encrypt} produces (it may still fail to open). */
  public static boolean isSealed(String value) {
    return value != null && value.startsWith(PREFIX);
  }

  /**
   * The key in an existing key file, or, when there is none, a new random key written to it
   * with mode 0600 before it is used (blocking file I/O).
   */
  public static SecretBox fromKeyFile(Path keyFile) {
    try {
      return new SecretBox(Files.exists(keyFile) ? readKeyFile(keyFile) : createKeyFile(keyFile));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create master key file " + keyFile, e);
    }
  }

  /** The key in {@code base64} (32 bytes); {@code origin} names where it came from in an error, never the value. */
  public static SecretBox fromBase64(String base64, String origin) {
    return new SecretBox(decodeKey(base64, origin));
  }

  /** Whether both boxes use the same key (compared in constant time). */
  public boolean sameKeyAs(SecretBox other) {
    return java.security.MessageDigest.isEqual(key.getEncoded(), other.key.getEncoded());
  }

  /** {@link #load(Path)} with the environment value passed in, so tests need not mutate env. */
  static SecretBox load(String envValue, Path keyFile) {
    if (envValue != null && !envValue.isBlank()) {
      return new SecretBox(decodeKey(envValue, ENV));
    }
    try {
      if (Files.exists(keyFile)) {
        return new SecretBox(readKeyFile(keyFile));
      }
      return new SecretBox(createKeyFile(keyFile));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create master key file " + keyFile, e);
    }
  }

  /** Seals {@code plaintext}; every call uses a fresh nonce, so equal inputs seal differently. */
  public String encrypt(String plaintext) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
      return PREFIX + Base64.getEncoder().encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  /**
   * Opens a value made by {@link #encrypt}.
   *
   * @throws IllegalArgumentException if it is malformed, tampered with or sealed under another
   *     key; the message never repeats the input
   */
  public String decrypt(String sealed) {
    if (sealed == null || !sealed.startsWith(PREFIX)) {
      throw new IllegalArgumentException("sealed secret has an unknown format");
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("sealed secret is not valid base64");
    }
    if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new IllegalArgumentException("sealed secret is too short");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
      byte[] plain = cipher.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "sealed secret failed authentication (tampered, or sealed under another master key)");
    }
  }

  private static byte[] decodeKey(String base64, String origin) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      // the decoder's message quotes an offending character of the key
      throw new IllegalArgumentException(origin + " is not valid base64");
    }
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(origin + " must be base64 of exactly " + KEY_BYTES
          + " bytes, but decodes to " + key.length + " bytes");
    }
    return key;
  }

  private static byte[] readKeyFile(Path keyFile) throws IOException {
    String text = Files.readString(keyFile, StandardCharsets.US_ASCII);
    if (Files.getFileStore(keyFile).supportsFileAttributeView("posix")
        && !OWNER_ONLY.containsAll(Files.getPosixFilePermissions(keyFile))) {
      LOG.warn("Master key file {} is readable by other users; chmod 600 it", keyFile);
    }
    return decodeKey(text, "master key file " + keyFile);
  }

  /**
   * Writes a new random key. The file is created exclusively and, where the file system is
   * POSIX, with mode 0600 from the start, so the key is never readable by others, not even
   * briefly. If another process created the file first, its key is used.
   */
  private static byte[] createKeyFile(Path keyFile) throws IOException {
    Path parent = keyFile.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    boolean posix = Files.getFileStore(parent == null ? keyFile.toAbsolutePath() : parent)
        .supportsFileAttributeView("posix");
    try {
      if (posix) {
        Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } else {
        Files.createFile(keyFile);
        restrictWithoutPosix(keyFile);
      }
    } catch (FileAlreadyExistsException e) {
      return readKeyFile(keyFile);
    }
    Files.write(keyFile, Base64.getEncoder().encode(key), StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
    LOG.info("Generated a new master key in {}; back it up, stored secrets need it", keyFile);
    return key;
  }

  private static void restrictWithoutPosix(Path keyFile) {
    java.io.File file = keyFile.toFile();
    boolean ok = file.setReadable(false, false) && file.setReadable(true, true)
        && file.setWritable(false, false) && file.setWritable(true, true);
    if (!ok) {
      LOG.warn("Could not restrict permissions of master key file {}; do it by hand", keyFile);
    }
  }
}
